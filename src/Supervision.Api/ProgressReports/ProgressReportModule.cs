using Supervision.Api.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed partial class ProgressReportScheduleProjection() : FoldedProjection<ProgressReportSchedule>(typeof(ProgressReportScheduleSet));

public sealed partial class ProgressReportFilingProjection() : FoldedProjection<ProgressReportFiling>(typeof(ProgressReportFiled), typeof(ProgressReportCorrected),
    typeof(ProgressReportDueReminded), typeof(ProgressReportFlaggedLate));

public sealed class ProgressReportModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<ProgressReportScheduleProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ProgressReportFilingProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<ProgressReportScheduleSet>();
        options.Events.AddEventType<ProgressReportFiled>();
        options.Events.AddEventType<ProgressReportCorrected>();
        options.Events.AddEventType<ProgressReportDueReminded>();
        options.Events.AddEventType<ProgressReportFlaggedLate>();
        options.Schema.For<ProgressReportSchedule>().Index(s => s.Year);
        // Real columns for the status view's filter (year, and the caller's scope on department_id: ReadScopes.ProgressReports).
        options.Schema.For<ProgressReportFiling>().Duplicate(f => f.DepartmentId).Duplicate(f => f.Year);
    }
}
