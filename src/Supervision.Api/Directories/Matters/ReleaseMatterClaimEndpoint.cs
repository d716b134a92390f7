namespace Supervision.Api.Directories.Matters;

public static class ReleaseMatterClaimEndpoint
{
    public static Decision Load(ReleaseMatterClaim command, Guid departmentId, InspectionMatter matter, ClaimsPrincipal user) =>
        MatterRules.Decide(command, departmentId, matter, user.As(Roles.DirectoryKeeper));

    /// <summary>Release a department's claim on a matter.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/matters/{matterId}/claims/{departmentId}/release"), Tags("Matters")]
    public static (MatterView, Events) Post(ReleaseMatterClaim command, Guid departmentId, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        CommandAnswers.StateAfter(matter, decision, MatterView.From);
}
