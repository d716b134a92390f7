namespace Supervision.Domain.Kernel;

/// <summary>Role names as they appear in the token's <c>role</c> claims.</summary>
public static class Roles
{
    /// <summary>Keeps the administrative hierarchy and the departments in it.</summary>
    public const string SystemAdmin = "system-admin";
    /// <summary>Keeps a department's matters list, target and inspector directories.</summary>
    public const string DirectoryKeeper = "directory-keeper";
    public const string Planner = "planner";
    public const string Approver = "approver";
    public const string Inspector = "inspector";
    public const string Reviewer = "reviewer";
    public const string FollowUpHandler = "follow-up-handler";
    /// <summary>纪检: discipline-inspection staff, who supervise draws and trace case histories.</summary>
    public const string DisciplineInspector = "discipline-inspector";
    public const string Auditor = "auditor";

    public static readonly IReadOnlyList<string> All =
    [
        SystemAdmin, DirectoryKeeper, Planner, Approver, Inspector, Reviewer, FollowUpHandler,
        DisciplineInspector, Auditor,
    ];
}
