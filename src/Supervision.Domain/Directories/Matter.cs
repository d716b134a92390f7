namespace Supervision.Domain.Directories;

/// <summary>
/// 重点检查事项 or 一般检查事项. 《西华县市场监管领域全面推行部门联合“双随机、一公开”抽查工作方案》(西双随机办字〔2022〕5号)
/// 二（二）: "随机抽查事项分为重点检查事项和一般检查事项。重点检查事项针对涉及安全、质量、公共利益等领域，抽查比例不设上限；
/// 抽查比例高的，可以通过随机抽取的方式确定检查批次顺序。一般检查事项针对一般监管领域，抽查比例应根据监管实际情况设置上限。"
/// </summary>
public enum MatterCategory
{
    /// <summary>重点检查事项: safety, quality, public interest; the sampling ratio has no cap.</summary>
    Key,
    /// <summary>一般检查事项: the sampling ratio is capped.</summary>
    General,
}

/// <summary>
/// 检查方式. 西双随机办字〔2022〕5号 二（五）: "抽查可采取实地核查、书面检查、网络监测、委托专业机构检查等方式，也可以依法利用
/// 其他政府部门检查结论、司法机关生效文书和专业机构作出的鉴定结论。"
/// </summary>
public enum InspectionMethod
{
    /// <summary>实地核查</summary>
    OnSite,
    /// <summary>书面检查</summary>
    Documentary,
    /// <summary>网络监测</summary>
    OnlineMonitoring,
    /// <summary>委托专业机构检查</summary>
    Commissioned,
    /// <summary>检验检测</summary>
    TestingInspection,
    /// <summary>采信其他部门检查结论、司法机关生效文书、专业机构鉴定结论</summary>
    AdoptOtherConclusions,
}

/// <summary>
/// One version of a matter's definition, kept for ever: a draw pins <c>(matterId, Number)</c> and must still read the
/// terms it was drawn under after later revisions. Percentages are percent (2 means 2%).
/// </summary>
/// <param name="Number">1 for the definition, n+1 for each revision.</param>
/// <param name="LegalBasis">抽查依据.</param>
/// <param name="Content">检查内容及要求.</param>
/// <param name="RatioCapPercent">The ratio cap of a general matter; always null for a key matter.</param>
/// <param name="DefaultRatioPercent">The ratio a plan task starts from, if the department set one.</param>
/// <param name="DefaultFrequencyPerYear">How many times a year the matter is usually inspected, if set.</param>
/// <param name="InspectorQualifications">Tag codes (inspector scope) an inspector must carry to be drawn for this matter.</param>
public sealed record MatterVersion(
    int Number,
    string Name,
    string LegalBasis,
    string Content,
    MatterCategory Category,
    IReadOnlyList<InspectionMethod> Methods,
    decimal? RatioCapPercent,
    decimal? DefaultRatioPercent,
    int? DefaultFrequencyPerYear,
    IReadOnlyList<string> InspectorQualifications) : INumberedVersion;

/// <summary>A department's claim (认领) of a matter, with the matter version current when it claimed.</summary>
public sealed record MatterClaim(Guid DepartmentId, int ClaimedVersion);

/// <summary>The terms a department writes for a matter, as given (unvalidated): shared by define and revise.</summary>
public sealed record MatterTerms(
    string? Name,
    string? LegalBasis,
    string? Content,
    IReadOnlyList<InspectionMethod>? Methods,
    MatterCategory? Category,
    decimal? RatioCapPercent,
    decimal? DefaultRatioPercent,
    int? DefaultFrequencyPerYear,
    IReadOnlyList<string>? InspectorQualifications);

public sealed record DefineMatter(
    string Code,
    string Name,
    string LegalBasis,
    Guid? OwnerDepartmentId,
    string Content,
    IReadOnlyList<InspectionMethod>? Methods,
    MatterCategory? Category,
    decimal? RatioCapPercent,
    decimal? DefaultRatioPercent,
    int? DefaultFrequencyPerYear,
    IReadOnlyList<string>? InspectorQualifications)
{
    public MatterTerms Terms() => new(Name, LegalBasis, Content, Methods, Category, RatioCapPercent, DefaultRatioPercent,
        DefaultFrequencyPerYear, InspectorQualifications);
}

/// <summary>A full new definition of the matter; the owner and code never change.</summary>
/// <param name="Version">The stream version the caller last read; a stale one is refused with 409.</param>
public sealed record ReviseMatter(
    string Name,
    string LegalBasis,
    string Content,
    IReadOnlyList<InspectionMethod>? Methods,
    MatterCategory? Category,
    decimal? RatioCapPercent,
    decimal? DefaultRatioPercent,
    int? DefaultFrequencyPerYear,
    IReadOnlyList<string>? InspectorQualifications,
    string Reason,
    long Version)
{
    public MatterTerms Terms() => new(Name, LegalBasis, Content, Methods, Category, RatioCapPercent, DefaultRatioPercent,
        DefaultFrequencyPerYear, InspectorQualifications);
}

public sealed record WithdrawMatter(string Reason, long Version);

/// <param name="DepartmentId">The department claiming the matter for itself.</param>
public sealed record ClaimMatter(Guid? DepartmentId, long Version);

/// <summary>Releases the claim of the department named in the route.</summary>
public sealed record ReleaseMatterClaim(string Reason, long Version);

public sealed record MatterDefined(Guid MatterId, string Code, Guid OwnerDepartmentId, MatterVersion Definition, Actor By);
public sealed record MatterRevised(Guid MatterId, MatterVersion Definition, string Reason, Actor By);
public sealed record MatterWithdrawn(Guid MatterId, string Reason, Actor By);
public sealed record MatterClaimed(Guid MatterId, Guid DepartmentId, int ClaimedVersion, Actor By);
public sealed record MatterClaimReleased(Guid MatterId, Guid DepartmentId, int ClaimedVersion, string Reason, Actor By);

/// <summary>
/// An entry of the matters list (随机抽查事项清单): what may be inspected, on what legal basis, by whom, how, and how often.
/// 西双随机办字〔2022〕5号 二（二）: "制定本系统的抽查事项清单，明确抽查依据、主体、内容和方式等；抽查事项清单要根据法律、法规、
/// 规章的立改废释和工作实际等进行动态调整". Codes are unique system-wide; every version of the definition is kept.
/// </summary>
/// <param name="Versions">Every version of the definition, oldest first; never empty.</param>
/// <param name="Claims">The departments that have claimed (认领) the matter for their own level.</param>
public sealed record InspectionMatter(
    Guid Id,
    string Code,
    Guid OwnerDepartmentId,
    IReadOnlyList<MatterVersion> Versions,
    IReadOnlyList<MatterClaim> Claims,
    bool Withdrawn,
    string? WithdrawalReason) : IFolded<InspectionMatter>, IVersionedDefinition<MatterVersion>
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public InspectionMatter WithVersion(long version) => this with { Version = version };

    public static InspectionMatter? StateAfter(InspectionMatter? state, object @event) => MatterRules.Evolve(state, @event);

    public static Guid IdFor(string code) => DeterministicId.For("matter", Identifiers.Normalize(code));

    public bool IsClaimedBy(Guid departmentId) => Claims.Any(c => c.DepartmentId == departmentId);

    /// <summary>True when the department owns the matter or has claimed it: the matter is on that department's list.</summary>
    public bool IsListedFor(Guid departmentId) => OwnerDepartmentId == departmentId || IsClaimedBy(departmentId);
}

/// <summary>
/// The filter of a matters listing, one definition for the live and the as-of listing. Category and method are read
/// from the latest version.
/// </summary>
/// <param name="DepartmentId">Matters owned or claimed by this department.</param>
public sealed record MatterFilter(Guid? DepartmentId = null, MatterCategory? Category = null, InspectionMethod? Method = null, bool IncludeWithdrawn = false)
{
    public bool Matches(InspectionMatter matter) =>
        (IncludeWithdrawn || !matter.Withdrawn)
        && (DepartmentId is not { } department || matter.IsListedFor(department))
        && (Category is not { } category || matter.Latest().Category == category)
        && (Method is not { } method || matter.Latest().Methods.Contains(method));
}
