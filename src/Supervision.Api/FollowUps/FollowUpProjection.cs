using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public sealed partial class FollowUpProjection : SingleStreamProjection<FollowUpCase, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public FollowUpProjection()
    {
        IncludeType<FollowUpClosed>();
        IncludeType<FollowUpOpened>();
        IncludeType<MeasureAccepted>();
        IncludeType<MeasureBackFilled>();
        IncludeType<MeasureOverdueRaised>();
    }

    public override FollowUpCase? Evolve(FollowUpCase? snapshot, Guid id, IEvent e) => FollowUpRules.Evolve(snapshot, e.Data);
}
