namespace Supervision.Domain.Directories;

// 执法检查人员名录库: the inspector directory. "执法检查人员名录库应包括所有相关的行政执法类公务员、具有行政执法资格的工作人员和
// 从事日常监管工作的人员，并按照执法资质、业务专长等进行分类标注" (西华 2022); built "根据依法核发的《河北省人民政府行政执法证》"
// (邯郸 2023). Experts (专家库) "吸收检测机构、科研院所等单位人员参与 … 辅助实施" (西华 2022): they assist, never inspect alone.

/// <summary>Where an inspector stands. <see cref="Left"/> (调离、退休) is final.</summary>
public enum InspectorStatus
{
    Active,
    /// <summary>暂停执法: e.g. under investigation, on long leave, certificate under review.</summary>
    Suspended,
    /// <summary>调离、退休、离职: no longer in the directory's pool; the record stays for the history.</summary>
    Left,
}

/// <summary>The kind of interest an inspector declares in a target (利害关系, grounds for 回避 recusal).</summary>
public enum ConflictRelation
{
    /// <summary>近亲属 relation with the target's owner, legal representative or managers.</summary>
    Kinship,
    /// <summary>曾在该单位任职.</summary>
    FormerEmployer,
    /// <summary>持股、投资.</summary>
    Investment,
    Other,
}

// ---- Commands --------------------------------------------------------------------------------------------------

/// <summary>An enforcement certificate (行政执法证) as given by a caller; dates are required, the record says why not.</summary>
public sealed record CertificateInput(string Number, DateOnly? IssuedOn, DateOnly? ExpiresOn);

/// <param name="StaffCode">The unique, system-wide staff number (ASCII); the inspector's identity.</param>
/// <param name="ActiveFrom">The day from which the inspector is active; the day of registration when not given.</param>
public sealed record RegisterInspector(
    string StaffCode,
    string Name,
    Guid? DepartmentId,
    string? Post,
    string RegionCode,
    IReadOnlyList<CertificateInput>? Certificates = null,
    IReadOnlyList<string>? Tags = null,
    bool Expert = false,
    DateOnly? ActiveFrom = null);

/// <summary>Changes any of the details; a member left out (null) keeps its value. An empty <c>post</c> clears it, empty <c>tags</c> clear them.</summary>
public sealed record ChangeInspectorDetails(
    string? Name, string? Post, string? RegionCode, bool? Expert, IReadOnlyList<string>? Tags, string Reason, long Version);

public sealed record AddCertificate(string Number, DateOnly? IssuedOn, DateOnly? ExpiresOn, long Version);
public sealed record RevokeCertificate(string Reason, long Version);
public sealed record ChangeInspectorStatus(InspectorStatus? Status, DateOnly? EffectiveOn, string Reason, long Version);

/// <summary>Names the target by unified social credit code (统一社会信用代码), by target id, or both.</summary>
public sealed record DeclareConflictOfInterest(ConflictRelation? Relation, string? TargetCreditCode, Guid? TargetId, string Reason, long Version);
public sealed record WithdrawConflictOfInterest(string Reason, long Version);

/// <param name="RegionCode">The region of responsibility in the new department; the current one when not given.</param>
public sealed record TransferInspector(Guid? DepartmentId, string? RegionCode, string Reason, long Version);
