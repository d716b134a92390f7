namespace Supervision.Api.Directories.Targets;

public static class DefineCreditSchemeEndpoint
{
    public static async Task<Decision> LoadAsync(DefineCreditScheme command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var province = command.ProvinceCode is { Length: 6 }
            ? await session.LoadAsync<Supervision.Domain.Organization.Region>(Supervision.Domain.Organization.Region.IdFor(command.ProvinceCode), ct)
            : null;
        return CreditSchemeRules.Decide(command, province, user.As(Roles.SystemAdmin));
    }

    /// <summary>Sets (or replaces) a province's credit risk classes; each definition is an event, the latest is in force.</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/credit-schemes"), Tags("Targets")]
    public static async Task<CreditSchemeState> Post(DefineCreditScheme command, Decision decision, IDocumentSession session, CancellationToken ct)
    {
        var defined = (CreditSchemeDefined)decision.Events[0];
        var stream = await session.Events.FetchForWriting<CreditSchemeState>(defined.SchemeId, ct);
        stream.AppendMany(decision.Events);
        return CreditSchemeRules.Evolve(stream.Aggregate, defined)! with { Version = (stream.Aggregate?.Version ?? 0) + 1 };
    }
}
