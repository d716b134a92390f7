using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

public sealed class DisclosureModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<ResultPublicationProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<ResultPublication>().Index(p => p.CaseId);
        options.Events.AddEventType<PublicationDateFlagged>();
        PublicResultSearch.Index(options);
    }
}
