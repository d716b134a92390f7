namespace Supervision.Api.Directories.Inspectors;

public static class ChangeInspectorStatusEndpoint
{
    public static Decision Load(ChangeInspectorStatus command, Inspector inspector, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Change an inspector's status (active, suspended, left) with the effective date and the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/status"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(ChangeInspectorStatus command, [WriteAggregate] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
