namespace Supervision.Api.Directories.Targets;

public static class ListCreditSchemesEndpoint
{
    /// <summary>List the credit risk classification schemes in force per province.</summary>
    [WolverineGet("/api/credit-schemes"), Tags("Targets")]
    public static Task<IReadOnlyList<CreditSchemeState>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<CreditSchemeState>().OrderBy(s => s.ProvinceCode).ToListAsync(ct);
}
