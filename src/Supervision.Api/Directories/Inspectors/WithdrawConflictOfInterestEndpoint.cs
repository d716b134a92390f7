namespace Supervision.Api.Directories.Inspectors;

public static class WithdrawConflictOfInterestEndpoint
{
    public static Decision Load(WithdrawConflictOfInterest command, Inspector inspector, Guid conflictId, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, conflictId, inspector, user.As(Roles.DirectoryKeeper));

    /// <summary>Withdraw a declared conflict of interest, with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/conflicts/{conflictId}/withdraw"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(WithdrawConflictOfInterest command, [WriteAggregate("inspectorId")] Inspector inspector, Guid conflictId, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
