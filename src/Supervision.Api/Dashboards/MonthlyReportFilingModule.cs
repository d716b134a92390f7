using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed partial class MonthlyReportFilingProjection()
    : FoldedProjection<MonthlyReportFiling>(typeof(MonthlyReportSubmitted), typeof(MonthlyReportDueReminded));

public sealed class MonthlyReportFilingModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<MonthlyReportFilingProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<MonthlyReportSubmitted>();
        options.Events.AddEventType<MonthlyReportDueReminded>();
        options.Schema.For<MonthlyReportFiling>().Index(f => f.Year);
    }
}
