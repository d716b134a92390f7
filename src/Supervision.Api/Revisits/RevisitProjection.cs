using Supervision.Domain.Revisits;

namespace Supervision.Api.Revisits;

public sealed partial class RevisitProjection : SingleStreamProjection<Revisit, Guid>
{
    public RevisitProjection()
    {
        IncludeType<CaseRevisited>();
        IncludeType<RevisitCorrected>();
    }

    public override Revisit? Evolve(Revisit? snapshot, Guid id, IEvent e) => RevisitRules.Evolve(snapshot, e.Data);
}
