namespace Supervision.Api.Directories.Inspectors;

public static class DeclareConflictOfInterestEndpoint
{
    public static Decision Load(DeclareConflictOfInterest command, Inspector inspector, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Declare an inspector's conflict of interest with a target; the inspector is then never drawn for it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/conflicts"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(DeclareConflictOfInterest command, [WriteAggregate] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
