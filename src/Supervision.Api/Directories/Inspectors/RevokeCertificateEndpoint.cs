namespace Supervision.Api.Directories.Inspectors;

public static class RevokeCertificateEndpoint
{
    public static Decision Load(RevokeCertificate command, Inspector inspector, string number, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, number, inspector, user.As(Roles.DirectoryKeeper));

    /// <summary>Revoke an inspector's certificate; without a valid one the inspector is not drawn.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/certificates/{number}/revoke"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(RevokeCertificate command, [WriteAggregate("inspectorId")] Inspector inspector, string number, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
