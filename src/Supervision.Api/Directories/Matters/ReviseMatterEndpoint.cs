using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Matters;

public static class ReviseMatterEndpoint
{
    public static async Task<Decision> LoadAsync(ReviseMatter command, InspectionMatter matter, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var library = await TagLibrary.LoadAsync(session, command.InspectorQualifications, ct);
        return MatterRules.Decide(command, matter, library, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Revise a matter as a new version (legal basis, content, method, category, ratio cap); owner and code never change.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/matters/{matterId}/revise"), Tags("Matters")]
    public static (MatterView, Events) Post(ReviseMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        CommandAnswers.StateAfter(matter, decision, MatterView.From);
}
