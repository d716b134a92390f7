using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed partial class MonthlyReportFilingProjection : SingleStreamProjection<MonthlyReportFiling, Guid>
{
    public MonthlyReportFilingProjection()
    {
        IncludeType<MonthlyReportSubmitted>();
        IncludeType<MonthlyReportDueReminded>();
    }

    public override MonthlyReportFiling? Evolve(MonthlyReportFiling? snapshot, Guid id, IEvent e) => MonthlyReportFilingRules.Evolve(snapshot, e.Data);
}

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
