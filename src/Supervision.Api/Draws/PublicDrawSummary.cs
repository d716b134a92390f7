using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>What anyone may see of a draw at once: the commitment, the randomness plan and every hash of the record's chain.</summary>
public sealed record PublicDrawSummary(Guid Id, string Algorithm, string PlanNumber, string TaskNumber, DrawStatus Status, string Commitment, string CommitmentSha256,
    IReadOnlyList<RandomnessSourceDeclaration> Sources, IReadOnlyList<PublicAct> Chain, string RecordSha256, string RecordPublic, bool RecordIsPublic, Guid? ReplacesDrawId)
{
    public static PublicDrawSummary From(Draw draw, DateOnly today)
    {
        var chain = new List<PublicAct>();
        var hash = draw.CommitmentSha256;
        foreach (var (act, n) in draw.Acts.Select((a, i) => (a, i + 1)))
        {
            hash = DrawV2.Chain(hash, act);
            chain.Add(new PublicAct(n, act.Split('|')[4], act.Split('|')[2], hash));
        }
        return new(draw.Id, draw.Algorithm, draw.PlanNumber, draw.TaskNumber, draw.Status, draw.Commitment, draw.CommitmentSha256, draw.Sources, chain,
            draw.IsV2 ? draw.RecordSha256 : "", draw.RecordPublic, draw.IsV2 && DrawRules.RecordIsPublic(draw, today), draw.ReplacesDrawId);
    }
}

/// <summary>One link of the chain: the act's number, kind and instant, and the record's hash after it.</summary>
public sealed record PublicAct(int Number, string Kind, string At, string RecordSha256);
