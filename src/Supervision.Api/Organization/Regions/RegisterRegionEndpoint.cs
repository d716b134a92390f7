namespace Supervision.Api.Organization.Regions;

public static class RegisterRegionEndpoint
{
    /// <summary>Loads what the decision needs (the region itself, if taken, and its parent) and decides.</summary>
    public static async Task<Decision> LoadAsync(RegisterRegion command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = command.Code is { Length: > 0 } ? await session.LoadAsync<Region>(Region.IdFor(command.Code), ct) : null;
        var parent = RegionRules.TryParseCode(command.Code, out _, out var parentCode) && parentCode is not null
            ? await session.LoadAsync<Region>(Region.IdFor(parentCode), ct)
            : null;
        return RegionRules.Decide(command, existing, parent, user.As(Roles.SystemAdmin));
    }

    /// <summary>Register a region by its six-digit GB/T 2260 code; its parent region must already be registered.</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/regions"), Tags("Regions")]
    public static (CreationResponse<RegionView>, IStartStream) Post(RegisterRegion command, Decision decision)
    {
        var id = ((RegionRegistered)decision.Events[0]).RegionId;
        return CreationAnswers.Started<Region, RegionView>(id, $"/api/regions/{id}", decision, RegionView.From);
    }
}
