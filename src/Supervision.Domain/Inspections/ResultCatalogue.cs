namespace Supervision.Domain.Inspections;

/// <summary>
/// One entry of a result catalogue. An entry without <paramref name="Parent"/> is a result (检查结果) an inspector chooses;
/// an entry with one is a detail of a result (e.g. which rules were broken), at most two levels below its result.
/// </summary>
/// <param name="Code">Stable across versions: a code keeps its meaning, its wording may be corrected.</param>
/// <param name="Wording">The Chinese wording shown to inspectors and, for results, on the public copy.</param>
/// <param name="ProblemFound">The inspection found a problem (counted as 发现问题 by supervision figures).</param>
/// <param name="NeedsFollowUp">A result that opens follow-up handling (后续处理) and needs a description of what was found.</param>
/// <param name="TargetStatus">A status outcome (注销, 被吊销, 被撤销, 迁出): the target's registration status found, not a finding about its conduct.</param>
public sealed record CatalogueEntry(string Code, string Wording, string? Parent = null, bool ProblemFound = false, bool NeedsFollowUp = false, string? TargetStatus = null);

/// <summary>
/// A version of the catalogue of inspection results: the national list shipped with the system, or a province's own
/// version loaded through the API. A result records the version it was entered under and keeps it for ever.
/// </summary>
/// <param name="Version">e.g. "cn-2026.1" (shipped) or "330000-1" (the first version loaded by 浙江省).</param>
/// <param name="Scope">"national", or the GB/T 2260 code of the province whose version it is.</param>
/// <param name="Source">The document the list comes from.</param>
public sealed record ResultCatalogue(string Version, string Scope, string Source, IReadOnlyList<CatalogueEntry> Entries)
{
    public const string NationalScope = "national";

    /// <summary>Details nest at most this many levels below their result (the national list's 违反工商行政管理相关规定 → 未按规定公示应当公示的信息).</summary>
    public const int MaxDetailLevels = 2;

    public CatalogueEntry? Entry(string? code) => code is null ? null : Entries.FirstOrDefault(e => e.Code == code);

    /// <summary>A result (a top-level entry), or null when <paramref name="code"/> is not one in this version.</summary>
    public CatalogueEntry? Find(string? code) => Entry(code) is { Parent: null } result ? result : null;

    public IEnumerable<CatalogueEntry> Results => Entries.Where(e => e.Parent is null);

    public IEnumerable<CatalogueEntry> ChildrenOf(string code) => Entries.Where(e => e.Parent == code);

    /// <summary>The details an inspector picks under a result: its entries without children of their own.</summary>
    public IReadOnlyList<CatalogueEntry> ChoicesUnder(string resultCode)
    {
        var choices = new List<CatalogueEntry>();
        foreach (var child in ChildrenOf(resultCode))
        {
            var below = ChoicesUnder(child.Code);
            if (below.Count == 0) choices.Add(child); else choices.AddRange(below);
        }
        return choices;
    }

    /// <summary>The wording of a detail with the entries above it up to (not including) its result, e.g. "违反工商行政管理相关规定：未按规定公示应当公示的信息".</summary>
    public string? DetailWording(string? code)
    {
        if (Entry(code) is not { Parent: not null } entry) return null;
        var parts = new List<string> { entry.Wording };
        for (var parent = Entry(entry.Parent); parent?.Parent is not null; parent = Entry(parent.Parent)) parts.Insert(0, parent.Wording);
        return string.Join("：", parts);
    }

    /// <summary>
    /// The national list in use since the system was first shipped, as it was (flat details, 违反其他规定, 吊销 / 撤销). Not in force:
    /// kept so that results entered under it are read, published and counted with the wording they were entered with.
    /// Results stored without a version were entered under it.
    /// </summary>
    public static readonly ResultCatalogue Legacy = new("cn-2024.1", NationalScope, "the inspections issue's working reference list (superseded by cn-2026.1)",
    [
        new("no-problem", "未发现问题"),
        new("problem-pending", "发现问题待后续处理", ProblemFound: true, NeedsFollowUp: true),
        new("undisclosed-information", "未按规定公示应当公示的信息", "problem-pending"),
        new("false-disclosure", "公示信息隐瞒真实情况、弄虚作假", "problem-pending"),
        new("unreachable", "通过登记的住所（经营场所）无法联系", "problem-pending"),
        new("other-violation", "违反其他规定", "problem-pending"),
        new("problem-rectified", "发现问题已责令改正", ProblemFound: true),
        new("no-activity", "未发现开展本次抽查涉及的经营活动"),
        new("closed", "已关闭停业或正在组织清算"),
        new("uncooperative", "不配合检查情节严重", ProblemFound: true, NeedsFollowUp: true),
        new("status-deregistered", "注销", TargetStatus: "deregistered"),
        new("status-revoked", "吊销", TargetStatus: "revoked"),
        new("status-cancelled", "撤销", TargetStatus: "cancelled"),
        new("status-moved-out", "迁出", TargetStatus: "moved-out"),
    ]);

    /// <summary>
    /// The de-facto national list (the entry form of the Zhejiang provincial system and the display wording of 国家企业信用信息公示系统
    /// 抽查检查结果), as set out entry for entry in issue 16: results as in use nationally, status outcomes worded 被吊销 / 被撤销, and
    /// under 发现问题待后续处理 the two-level list 违反工商行政管理相关规定 → {未按规定公示应当公示的信息, 公示信息隐瞒真实情况弄虚作假,
    /// 通过登记的住所（经营场所）无法联系, 违反其他工商行政管理规定行为}, 违反食品药品管理相关规定, 违反质量技术监督相关规定,
    /// 违反其他部门相关规定. The project's reference search found county reports using the same result wording (e.g. 常州市天宁区
    /// 2017: "未按规定公示信息", "通过登记的住所(经营场所)无法联系", "发现问题已责令改正") but no copy of the form itself, so the issue's
    /// list is the authority here. Codes of cn-2024.1 are kept where the entry stands in the same place (违反其他规定 was the fourth
    /// detail, now 违反其他工商行政管理规定行为); wording uses full-width parentheses （）.
    /// </summary>
    public static readonly ResultCatalogue National = new("cn-2026.1", NationalScope,
        "国家企业信用信息公示系统 抽查检查结果 (national display wording) and the 浙江 provincial system's result entry form, per issue 16",
    [
        new("no-problem", "未发现问题"),
        new("problem-pending", "发现问题待后续处理", ProblemFound: true, NeedsFollowUp: true),
        new("business-regulation", "违反工商行政管理相关规定", "problem-pending"),
        new("undisclosed-information", "未按规定公示应当公示的信息", "business-regulation"),
        new("false-disclosure", "公示信息隐瞒真实情况弄虚作假", "business-regulation"),
        new("unreachable", "通过登记的住所（经营场所）无法联系", "business-regulation"),
        new("other-violation", "违反其他工商行政管理规定行为", "business-regulation"),
        new("food-drug-regulation", "违反食品药品管理相关规定", "problem-pending"),
        new("quality-regulation", "违反质量技术监督相关规定", "problem-pending"),
        new("other-department-regulation", "违反其他部门相关规定", "problem-pending"),
        new("problem-rectified", "发现问题已责令改正", ProblemFound: true),
        new("no-activity", "未发现开展本次抽查涉及的经营活动"),
        new("closed", "已关闭停业或正在组织清算"),
        new("uncooperative", "不配合检查情节严重", ProblemFound: true, NeedsFollowUp: true),
        new("status-deregistered", "注销", TargetStatus: "deregistered"),
        new("status-revoked", "被吊销", TargetStatus: "revoked"),
        new("status-cancelled", "被撤销", TargetStatus: "cancelled"),
        new("status-moved-out", "迁出", TargetStatus: "moved-out"),
    ]);

    public static readonly IReadOnlyList<ResultCatalogue> Shipped = [Legacy, National];
}

/// <summary>Every catalogue version known (shipped and loaded), and which one is in force for a province.</summary>
public sealed class ResultCatalogues(IReadOnlyList<ResultCatalogue> loaded)
{
    public static readonly ResultCatalogues ShippedOnly = new([]);

    public IEnumerable<ResultCatalogue> All => ResultCatalogue.Shipped.Concat(loaded);

    /// <summary>A version by its id; a result stored without one was entered under <see cref="ResultCatalogue.Legacy"/>.</summary>
    public ResultCatalogue? Version(string? version) =>
        string.IsNullOrEmpty(version) ? ResultCatalogue.Legacy : All.FirstOrDefault(c => c.Version == version);

    /// <summary>The version a result's codes are read with: its own, or the shipped national one if its version is unknown here.</summary>
    public ResultCatalogue For(string? version) => Version(version) ?? ResultCatalogue.National;

    /// <summary>The province's latest loaded version, else the shipped national list.</summary>
    public ResultCatalogue InForce(string? provinceCode) =>
        loaded.LastOrDefault(c => c.Scope == provinceCode) ?? ResultCatalogue.National;
}
