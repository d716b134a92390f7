using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

/// <param name="ChainIntact">Whether every revision's content hashes to its recorded hash and the chain links recompute (<see cref="ProgressReportRules.FirstBrokenRevision"/>).</param>
public sealed record ProgressReportFilingAnswer(ProgressReportFiling Filing, bool ChainIntact);

public static class ProgressReportFilingQueries
{
    /// <summary>A filing with every revision's frozen content: for its department's staff, the office it reports to, 纪检 and auditors above; 404 for anyone else.</summary>
    [Authorize]
    [WolverineGet("/api/reports/progress/filings/{filingId}"), Tags("Reports")]
    public static async Task<IResult> Get(Guid filingId, ClaimsPrincipal user, [ReadReplica] IQuerySession session, CancellationToken ct)
    {
        var filing = await session.LoadAsync<ProgressReportFiling>(filingId, ct);
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (filing is null || !places.TryGetValue(filing.DepartmentId, out var place) || !ReadAccess.MayReadProgressReport(reader, place))
            return Results.Problem(ProblemResponses.NotFound("filing", filingId));
        return Results.Ok(new ProgressReportFilingAnswer(filing, ProgressReportRules.FirstBrokenRevision(filing.Revisions) is null));
    }
}
