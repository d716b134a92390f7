using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Inspectors;

// Every change names the version it was based on (stale → 409) and is allowed only to a keeper of the inspector's
// department (else 403). A change that would change nothing is answered with the current view and writes nothing.

public static class ChangeInspectorDetailsEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeInspectorDetails command, Inspector inspector, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var department = await session.LoadAsync<Department>(inspector.DepartmentId, ct);
        var library = await TagLibrary.LoadAsync(session, command.Tags, ct);
        return InspectorRules.Decide(command, inspector, department, library, user.As(Roles.DirectoryKeeper));
    }

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Change an inspector's details (name, post, region, expert flag, tags) with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/details"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(ChangeInspectorDetails command, [WriteAggregate] Inspector inspector, Decision decision) =>
        InspectorView.After(inspector, decision);
}

public static class AddCertificateEndpoint
{
    public static Decision Load(AddCertificate command, Inspector inspector, ClaimsPrincipal user, TimeProvider clock) =>
        InspectorRules.Decide(command, inspector, InspectorAccess.Today(clock), user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Add an enforcement certificate (行政执法证) with its number and validity to an inspector.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/certificates"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(AddCertificate command, [WriteAggregate] Inspector inspector, Decision decision) =>
        InspectorView.After(inspector, decision);
}

public static class RevokeCertificateEndpoint
{
    public static Decision Load(RevokeCertificate command, Inspector inspector, string number, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, number, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Revoke an inspector's certificate; without a valid one the inspector is not drawn.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/certificates/{number}/revoke"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(RevokeCertificate command, [WriteAggregate] Inspector inspector, string number, Decision decision) =>
        InspectorView.After(inspector, decision);
}

public static class ChangeInspectorStatusEndpoint
{
    public static Decision Load(ChangeInspectorStatus command, Inspector inspector, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Change an inspector's status (active, suspended, left) with the effective date and the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/status"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(ChangeInspectorStatus command, [WriteAggregate] Inspector inspector, Decision decision) =>
        InspectorView.After(inspector, decision);
}

public static class DeclareConflictOfInterestEndpoint
{
    public static Decision Load(DeclareConflictOfInterest command, Inspector inspector, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Declare an inspector's conflict of interest with a target; the inspector is then never drawn for it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/conflicts"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(DeclareConflictOfInterest command, [WriteAggregate] Inspector inspector, Decision decision) =>
        InspectorView.After(inspector, decision);
}

public static class WithdrawConflictOfInterestEndpoint
{
    public static Decision Load(WithdrawConflictOfInterest command, Inspector inspector, Guid conflictId, ClaimsPrincipal user) =>
        InspectorRules.Decide(command, conflictId, inspector, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    /// <summary>Withdraw a declared conflict of interest, with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/conflicts/{conflictId}/withdraw"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(WithdrawConflictOfInterest command, [WriteAggregate] Inspector inspector, Guid conflictId, Decision decision) =>
        InspectorView.After(inspector, decision);
}

/// <summary>调动: moves an inspector to another department; asked by a keeper of the department the inspector leaves.</summary>
public static class TransferInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(TransferInspector command, Inspector inspector, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var target = command.DepartmentId is { } id && id != Guid.Empty ? await session.LoadAsync<Department>(id, ct) : null;
        return InspectorRules.Decide(command, inspector, target, user.As(Roles.DirectoryKeeper));
    }

    public static ProblemDetails Validate(Decision decision, Inspector inspector, ClaimsPrincipal user) =>
        InspectorAccess.Check(user, inspector.DepartmentId, decision);

    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/inspectors/{inspectorId}/transfer"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(TransferInspector command, [WriteAggregate] Inspector inspector, Decision decision) =>
        InspectorView.After(inspector, decision);
}
