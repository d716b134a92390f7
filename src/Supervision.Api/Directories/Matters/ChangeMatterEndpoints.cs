using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Matters;

public static class ReviseMatterEndpoint
{
    public static async Task<Decision> LoadAsync(ReviseMatter command, InspectionMatter matter, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var library = await TagLibrary.LoadAsync(session, command.InspectorQualifications, ct);
        return MatterRules.Decide(command, matter, library, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Only a keeper of the owning department revises a matter.</summary>
    public static ProblemDetails Validate(InspectionMatter matter, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, matter.OwnerDepartmentId, "ownerDepartmentId").Then(decision);

    /// <summary>Revise a matter as a new version (legal basis, content, method, category, ratio cap); owner and code never change.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/matters/{matterId}/revise"), Tags("Matters")]
    public static (MatterView, Events) Post(ReviseMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        MatterView.After(matter, decision);
}

public static class WithdrawMatterEndpoint
{
    public static Decision Load(WithdrawMatter command, InspectionMatter matter, ClaimsPrincipal user) =>
        MatterRules.Decide(command, matter, user.As(Roles.DirectoryKeeper));

    /// <summary>Only a keeper of the owning department withdraws a matter.</summary>
    public static ProblemDetails Validate(InspectionMatter matter, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, matter.OwnerDepartmentId, "ownerDepartmentId").Then(decision);

    /// <summary>Withdraw a matter from the list; tasks can no longer name it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/matters/{matterId}/withdraw"), Tags("Matters")]
    public static (MatterView, Events) Post(WithdrawMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        MatterView.After(matter, decision);
}

public static class ClaimMatterEndpoint
{
    public static async Task<Decision> LoadAsync(ClaimMatter command, InspectionMatter matter, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var owner = await session.LoadAsync<Department>(matter.OwnerDepartmentId, ct);
        var claimer = command.DepartmentId is { } claimerId ? await session.LoadAsync<Department>(claimerId, ct) : null;
        return MatterRules.Decide(command, matter, owner, claimer, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>A department claims for itself: only its own keeper may.</summary>
    public static ProblemDetails Validate(ClaimMatter command, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, command.DepartmentId, "departmentId").Then(decision);

    /// <summary>Claim (认领) a higher level's matter for the caller's department, so its tasks can name it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/matters/{matterId}/claims"), Tags("Matters")]
    public static (MatterView, Events) Post(ClaimMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        MatterView.After(matter, decision);
}

public static class ReleaseMatterClaimEndpoint
{
    public static Decision Load(ReleaseMatterClaim command, Guid departmentId, InspectionMatter matter, ClaimsPrincipal user) =>
        MatterRules.Decide(command, departmentId, matter, user.As(Roles.DirectoryKeeper));

    /// <summary>Only the claiming department's keeper releases its claim.</summary>
    public static ProblemDetails Validate(Guid departmentId, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, departmentId, "departmentId").Then(decision);

    /// <summary>Release a department's claim on a matter.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/matters/{matterId}/claims/{departmentId}/release"), Tags("Matters")]
    public static (MatterView, Events) Post(ReleaseMatterClaim command, Guid departmentId, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        MatterView.After(matter, decision);
}
