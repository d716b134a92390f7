using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Matters;

public static class DefineMatterEndpoint
{
    /// <summary>Loads what the decision needs (the matter holding the code, the owner, the qualification tags) and decides.</summary>
    public static async Task<Decision> LoadAsync(DefineMatter command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = MatterRules.IsValidCode(command.Code)
            ? await session.LoadAsync<InspectionMatter>(InspectionMatter.IdFor(command.Code), ct)
            : null;
        var owner = command.OwnerDepartmentId is { } ownerId ? await session.LoadAsync<Department>(ownerId, ct) : null;
        var library = await TagLibrary.LoadAsync(session, command.InspectorQualifications, ct);
        return MatterRules.Decide(command, existing, owner, library, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Define a matter on the matters list (随机抽查事项清单) with its legal basis, content, method and category.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/matters"), Tags("Matters")]
    public static (CreationResponse<MatterView>, IStartStream) Post(DefineMatter command, Decision decision)
    {
        var id = ((MatterDefined)decision.Events[0]).MatterId;
        return CreationAnswers.Started<InspectionMatter, MatterView>(id, $"/api/matters/{id}", decision, MatterView.From);
    }
}
