namespace Supervision.Api.ApiDocs;

/// <summary>
/// The capability (vertical slice) an endpoint belongs to, from its namespace: the OpenAPI tag, what the slice keeps, and who reads
/// what in it (the object scope of docs/access.md, which the role alone does not tell).
/// </summary>
public sealed record Slice(string Tag, string Description, string Scope)
{
    public static readonly IReadOnlyList<Slice> All =
    [
        new("Organization", "The administrative hierarchy (GB/T 2260 region codes) and its departments.",
            "Regions are public reference data; departments are read by any authenticated caller; only system administrators change either."),
        new("Tag library", "标签字库: classification tags for targets and inspectors, each owned by a department.",
            "Any authenticated caller reads tags; a directory keeper defines and retires only the tags of its own department."),
        new("Targets", "检查对象名录库: enterprises, sole traders, cooperatives and non-entity targets; CSV bulk import, also as a job.",
            "Any authenticated caller reads the directory; a directory keeper writes only targets in the regions its department supervises."),
        new("Inspectors", "执法检查人员名录库: enforcement staff, certificates, experts, status and declared conflicts of interest.",
            "Any authenticated caller reads the directory; directory keepers write it."),
        new("Matters", "随机抽查事项清单: matters with legal basis, method, key/general category and ratio cap; versions and claims.",
            "Any authenticated caller reads the list; directory keepers write it."),
        new("Check forms", "检查表单: base and department forms per matter, versioned items.",
            "Any authenticated caller reads forms; directory keepers write them."),
        new("Plans", "年度抽查计划: annual plans with sampling tasks, four-eyes approval, publication, adjustment, voiding and filing.",
            "A plan is read by its department's staff and its joint departments' staff, the region's 双随机 office, and 纪检 and auditors within reach; others get 404."),
        new("Draws", "双随机 (supervision-draw/2): frozen pools, committed randomness, two-person value entry, the draw, recusals, voids, a public record hash chain.",
            "Draws are read as their plans are; the plan's department proposes and draws, its approver recuses and voids, 纪检 of its region or above commit, enter randomness and countersign."),
        new("Inspections", "检查: a case per drawn target with its team; notices, visit, check forms, results per matter, review, corrections; the result catalogue.",
            "A case is read by the staff of its departments, the inspectors on its team (as the same person), and 纪检 and auditors within reach; others get 404."),
        new("Follow-ups", "后续处理: measures with owners and deadlines, hand-over acceptance, back-fill, closing the loop.",
            "A follow-up is read by the departments that opened it or received a measure, and by 纪检 and auditors within reach."),
        new("Disclosure", "一公开: frozen public copies of results, corrections as new revisions, withholding and redaction with legal basis, the anonymous search.",
            "Public copies are read by anyone; the inspecting department's reviewers and approvers publish and correct; the overdue list is scoped as cases are."),
        new("Revisits", "随机抽查回访: a completed case revisited by someone who did not inspect it; counts per department.",
            "The summary is read by the department's staff and 纪检 and auditors of its region and above."),
        new("Integrity", "纪检: the hash chain over every event, sealed checkpoints, verification, the full history of a subject, any record as of a past moment.",
            "Histories and as-of records are read by 纪检 and auditors within their reach; seals and checkpoints are public or administrative."),
        new("Dashboards", "督查: each department's and region's figures beside the goals of its plan documents, rolled up county → city → province, as of any moment.",
            "A department sees its own figures, a region's market regulation department its reach, higher levels the levels below, 纪检 and auditors theirs."),
        new("Monthly reports", "月报表 (邢双随机办〔2022〕1号): the county and city-department forms as JSON, CSV or XLSX; filing with frozen, hashed content.",
            "Read as dashboards are; filed by the county's market regulation department or a city department itself."),
        new("Progress reports", "季度进展 / 工作总结: quarterly progress reports and the annual summary on the plan documents' due dates.",
            "Content is read by the department's own staff, the region's market regulation department, and 纪检 and auditors of its region and above."),
        new("Calendar", "The State Council holiday calendar behind every working-day deadline.",
            "Any authenticated caller reads it; system administrators load years."),
        new("Jobs", "Long work (imports, rebuilds) as a resource: progress, estimate and outcome.",
            "A job is read by the starting department's staff, its region's office, 纪检 and auditors above it, and system administrators; others get 404."),
        new("Read models", "Rebuilding the read models from the event log while commands go on.",
            "System administrators only."),
        new("Public pages", "Server-rendered HTML pages for citizens (一公开): result search, plans, draws and the in-browser draw verifier.",
            "Anyone, without an account; rate limited per address."),
    ];

    private static readonly Dictionary<string, Slice> ByTag = All.ToDictionary(s => s.Tag);

    /// <summary>The slice of an endpoint type: the folder (namespace) it lives in.</summary>
    public static Slice Of(Type endpointType)
    {
        var ns = endpointType.Namespace ?? "";
        var path = ns.StartsWith("Supervision.Api.", StringComparison.Ordinal) ? ns["Supervision.Api.".Length..] : ns;
        var tag = path.Split('.') switch
        {
            ["Directories", "Tags", ..] => "Tag library",
            ["Directories", "CheckForms", ..] => "Check forms",
            ["Directories", var directory, ..] => directory,
            ["Organization", ..] => "Organization",
            ["Dashboards", ..] when endpointType.Name.Contains("MonthlyReport", StringComparison.Ordinal) => "Monthly reports",
            ["FollowUps", ..] => "Follow-ups",
            ["ProgressReports", ..] => "Progress reports",
            ["Infrastructure", ..] => "Read models",
            ["Public", ..] => "Public pages",
            [var first, ..] => first,
            _ => "Other",
        };
        return ByTag.TryGetValue(tag, out var slice) ? slice : new Slice(tag, $"The {tag} slice.", "As docs/access.md says for this slice.");
    }
}
