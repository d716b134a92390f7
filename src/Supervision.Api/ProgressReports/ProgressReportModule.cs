using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed partial class ProgressReportScheduleProjection : SingleStreamProjection<ProgressReportSchedule, Guid>
{
    public ProgressReportScheduleProjection() => IncludeType<ProgressReportScheduleSet>();

    public override ProgressReportSchedule? Evolve(ProgressReportSchedule? snapshot, Guid id, IEvent e) => ProgressReportScheduleRules.Evolve(snapshot, e.Data);
}

public sealed partial class ProgressReportFilingProjection : SingleStreamProjection<ProgressReportFiling, Guid>
{
    public ProgressReportFilingProjection()
    {
        IncludeType<ProgressReportFiled>();
        IncludeType<ProgressReportCorrected>();
        IncludeType<ProgressReportDueReminded>();
        IncludeType<ProgressReportFlaggedLate>();
    }

    public override ProgressReportFiling? Evolve(ProgressReportFiling? snapshot, Guid id, IEvent e) => ProgressReportRules.Evolve(snapshot, e.Data);
}

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
