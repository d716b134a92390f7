namespace Supervision.Api.Directories.Inspectors;

public static class AddCertificateEndpoint
{
    public static Decision Load(AddCertificate command, Inspector inspector, ClaimsPrincipal user, TimeProvider clock) =>
        InspectorRules.Decide(command, inspector, InspectorAccess.Today(clock), user.As(Roles.DirectoryKeeper));

    /// <summary>Add an enforcement certificate (行政执法证) with its number and validity to an inspector.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/{inspectorId}/certificates"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(AddCertificate command, [WriteAggregate("inspectorId")] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
