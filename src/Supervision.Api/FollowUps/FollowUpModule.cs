using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public sealed class FollowUpModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<FollowUpProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<FollowUpCase>().Index(f => f.CaseId).Index(f => f.DepartmentId);
    }
}
