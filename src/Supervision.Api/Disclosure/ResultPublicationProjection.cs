using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

public sealed partial class ResultPublicationProjection : SingleStreamProjection<ResultPublication, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public ResultPublicationProjection()
    {
        IncludeType<FollowUpOutcomeDisclosed>();
        IncludeType<PublicationCorrected>();
        IncludeType<PublicationRevisionWithdrawn>();
        IncludeType<ResultPublished>();
        IncludeType<ResultWithheld>();
    }

    public override ResultPublication? Evolve(ResultPublication? snapshot, Guid id, IEvent e) => PublicationRules.Evolve(snapshot, e.Data);
}
