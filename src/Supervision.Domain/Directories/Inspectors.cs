using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;

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

// ---- Events ----------------------------------------------------------------------------------------------------

public sealed record InspectorRegistered(
    Guid InspectorId, string StaffCode, string Name, Guid DepartmentId, string? Post, string RegionCode, bool Expert,
    IReadOnlyList<string> Tags, DateOnly ActiveFrom, Actor By);

/// <summary>The details after the change, in full (not only what changed), and why.</summary>
public sealed record InspectorDetailsChanged(
    Guid InspectorId, string Name, string? Post, string RegionCode, bool Expert, IReadOnlyList<string> Tags, string Reason, Actor By);

public sealed record CertificateAdded(Guid InspectorId, string Number, DateOnly IssuedOn, DateOnly ExpiresOn, Actor By);
public sealed record CertificateRevoked(Guid InspectorId, string Number, string Reason, Actor By);
public sealed record InspectorStatusChanged(Guid InspectorId, InspectorStatus Status, DateOnly EffectiveOn, string Reason, Actor By);

public sealed record ConflictOfInterestDeclared(
    Guid InspectorId, Guid ConflictId, ConflictRelation Relation, string? TargetCreditCode, Guid? TargetId, string Reason, Actor By);
public sealed record ConflictOfInterestWithdrawn(Guid InspectorId, Guid ConflictId, string Reason, Actor By);

public sealed record InspectorTransferred(Guid InspectorId, Guid FromDepartmentId, Guid ToDepartmentId, string RegionCode, string Reason, Actor By);

/// <summary>A bulk import that committed, in a stream of its own named by the file's hash and the department.</summary>
public sealed record InspectorImportCompleted(
    Guid ImportId, Guid DepartmentId, string FileSha256, string Encoding, int Rows, int Registered, int Changed, int Unchanged, Actor By);

// ---- State -----------------------------------------------------------------------------------------------------

/// <summary>An enforcement certificate held by an inspector. Certificates are never edited: revoke one and add another.</summary>
public sealed record EnforcementCertificate(string Number, DateOnly IssuedOn, DateOnly ExpiresOn, bool Revoked = false, string? RevocationReason = null)
{
    /// <summary>Valid on a day: not revoked and <c>issuedOn &lt;= date &lt;= expiresOn</c> (both days included).</summary>
    public bool IsValidOn(DateOnly date) => !Revoked && IssuedOn <= date && date <= ExpiresOn;
}

/// <summary>One entry of the status history: from <paramref name="EffectiveOn"/> on, the inspector is <paramref name="Status"/>.</summary>
public sealed record InspectorStatusEntry(InspectorStatus Status, DateOnly EffectiveOn, string Reason);

/// <summary>A declared interest in a target; withdrawn ones stay, so the history of recusal grounds is complete.</summary>
public sealed record ConflictOfInterest(
    Guid Id, ConflictRelation Relation, string? TargetCreditCode, Guid? TargetId, string Reason, bool Withdrawn = false, string? WithdrawalReason = null);

/// <summary>An inspector of the directory as rebuilt from its events.</summary>
/// <param name="Status">The most recently recorded status (which may take effect on a later day); see <see cref="InspectorRules.StatusOn"/>.</param>
public sealed record Inspector(
    Guid Id,
    string StaffCode,
    string Name,
    Guid DepartmentId,
    string? Post,
    string RegionCode,
    bool Expert,
    IReadOnlyList<string> Tags,
    InspectorStatus Status,
    IReadOnlyList<InspectorStatusEntry> StatusHistory,
    IReadOnlyList<EnforcementCertificate> Certificates,
    IReadOnlyList<ConflictOfInterest> Conflicts)
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public static Guid IdFor(string staffCode) => DeterministicId.For("inspector", Identifiers.Normalize(staffCode));
}

// ---- Rules -----------------------------------------------------------------------------------------------------

public static class InspectorRules
{
    public const int MaxNameLength = 50;
    public const int MaxPostLength = 100;
    public const int MaxCodeLength = 40;
    public const int MaxCertificateNumberLength = 40;
    public const int MaxReasonLength = 1000;
    /// <summary>"每次行政检查抽取的检查人员不得少于2人" (邯郸 2023).</summary>
    public const int MinimumTeamSize = 2;

    /// <summary>Every event type of an inspector stream, for as-of folds and event store registration.</summary>
    public static readonly Type[] EventTypes =
    [
        typeof(InspectorRegistered), typeof(InspectorDetailsChanged), typeof(CertificateAdded), typeof(CertificateRevoked),
        typeof(InspectorStatusChanged), typeof(ConflictOfInterestDeclared), typeof(ConflictOfInterestWithdrawn),
        typeof(InspectorTransferred),
    ];

    public static bool IsValidStaffCode(string? code) =>
        code is not null && Identifiers.Normalize(code) is { Length: >= 2 and <= MaxCodeLength } c
        && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');

    /// <summary>Letters (Chinese included), digits, '-' and '_': a certificate number is also a URL segment.</summary>
    public static bool IsValidCertificateNumber(string? number) =>
        number is not null && Identifiers.Normalize(number) is { Length: >= 1 and <= MaxCertificateNumberLength } n
        && n.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_');

    public static string NormalizeCertificateNumber(string number) => Identifiers.Normalize(number);

    public static bool IsKeeperOf(Actor by, Guid departmentId) => by.DepartmentId == departmentId;

    // ---- questions asked of the directory ----

    /// <summary>The status in force on <paramref name="date"/>, or null before the inspector was active at all.</summary>
    public static InspectorStatus? StatusOn(Inspector inspector, DateOnly date) =>
        inspector.StatusHistory.LastOrDefault(s => s.EffectiveOn <= date)?.Status;

    /// <summary>May be drawn for an inspection on <paramref name="date"/>: active that day and holding a certificate valid that day.</summary>
    public static bool IsEligibleOn(Inspector inspector, DateOnly date) =>
        StatusOn(inspector, date) == InspectorStatus.Active && inspector.Certificates.Any(c => c.IsValidOn(date));

    /// <summary>
    /// A team may inspect: at least <see cref="MinimumTeamSize"/> different people (邯郸 2023) and at least one who is not
    /// an outside expert, since experts assist and cannot form a team alone.
    /// </summary>
    public static bool CanFormTeam(IEnumerable<Inspector> team)
    {
        var members = team.DistinctBy(i => i.Id).ToList();
        return members.Count >= MinimumTeamSize && members.Any(i => !i.Expert);
    }

    /// <summary>True when a declared, not withdrawn interest names the target (回避).</summary>
    public static bool HasConflictWith(Inspector inspector, string? targetCreditCode, Guid? targetId) =>
        inspector.Conflicts.Any(c => !c.Withdrawn
            && ((targetCreditCode is { Length: > 0 } code && string.Equals(c.TargetCreditCode, code.Trim(), StringComparison.OrdinalIgnoreCase))
                || (targetId is { } id && id != Guid.Empty && c.TargetId == id)));

    // ---- decisions ----

    /// <param name="existing">The inspector already registered under the staff code, if any.</param>
    /// <param name="department">The department named by the command, or null when it is not registered.</param>
    /// <param name="library">The tag definitions found for the command's tag codes, by (upper-case) code.</param>
    /// <param name="today">The day of registration (the default <c>activeFrom</c>).</param>
    public static Decision Decide(RegisterInspector command, Inspector? existing, Department? department,
        IReadOnlyDictionary<string, TagDefinition> library, DateOnly today, Actor by)
    {
        var errors = new List<DomainError>();
        if (!IsValidStaffCode(command.StaffCode))
            errors.Add(DomainError.Invalid("staffCode", "inspector.code.format",
                $"A staff code is 2 to {MaxCodeLength} ASCII letters, digits, '-', '_' or '.'."));
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        CheckPost(errors, command.Post);
        if (command.DepartmentId is null || command.DepartmentId == Guid.Empty)
            errors.Add(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' is required."));
        CheckRegionFormat(errors, "regionCode", command.RegionCode);
        var certificates = new List<EnforcementCertificate>();
        var given = command.Certificates ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var prefix = $"certificates[{i}]";
            if (given[i] is not { } input)
            {
                errors.Add(DomainError.Invalid(prefix, "certificate.required", $"'{prefix}' is empty."));
                continue;
            }
            if (CheckCertificate(errors, prefix, input.Number, input.IssuedOn, input.ExpiresOn, today) is not { } certificate) continue;
            if (certificates.Any(c => c.Number == certificate.Number))
                errors.Add(DomainError.Invalid($"{prefix}.number", "certificate.number.duplicate", $"Certificate {certificate.Number} is listed twice."));
            else certificates.Add(certificate);
        }
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("staffCode", "inspector.code.taken",
                $"Staff code {Identifiers.Normalize(command.StaffCode)} is already registered to '{existing.Name}'."));

        var tags = TagRules.Normalize(command.Tags);
        errors.AddRange(TagRules.CheckTags("tags", tags, library, TagScope.Inspector));
        if (department is null)
            errors.Add(DomainError.Invalid("departmentId", "department.unknown", $"Department {command.DepartmentId} is not registered."));
        else CheckRegionInDepartment(errors, "regionCode", command.RegionCode, department);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!department!.Active)
            return Decision.Reject(DomainError.Conflict("departmentId", "department.inactive", $"Department '{department.Name}' is deactivated."));

        var id = Inspector.IdFor(command.StaffCode);
        return Decision.Accept(
        [
            new InspectorRegistered(id, Identifiers.Normalize(command.StaffCode), command.Name.Trim(), department.Id, NormalizePost(command.Post),
                command.RegionCode, command.Expert, tags, command.ActiveFrom ?? today, by),
            .. certificates.Select(c => new CertificateAdded(id, c.Number, c.IssuedOn, c.ExpiresOn, by)),
        ]);
    }

    /// <param name="department">The inspector's department (for the region check), or null to skip that check.</param>
    /// <param name="library">The tag definitions found for the command's tag codes, by (upper-case) code.</param>
    public static Decision Decide(ChangeInspectorDetails command, Inspector inspector, Department? department,
        IReadOnlyDictionary<string, TagDefinition> library, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Name is not null) Text.RequireName(errors, "name", command.Name, MaxNameLength);
        CheckPost(errors, command.Post);
        if (command.RegionCode is not null) CheckRegionFormat(errors, "regionCode", command.RegionCode);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));

        var name = command.Name?.Trim() ?? inspector.Name;
        var post = command.Post is null ? inspector.Post : NormalizePost(command.Post);
        var region = command.RegionCode ?? inspector.RegionCode;
        var expert = command.Expert ?? inspector.Expert;
        var tags = command.Tags is null ? inspector.Tags : TagRules.Normalize(command.Tags);

        // A tag retired after it was put on the inspector may stay; only tags being added must be in the library.
        errors.AddRange(TagRules.CheckTags("tags", tags.Except(inspector.Tags), library, TagScope.Inspector));
        if (department is not null && region != inspector.RegionCode) CheckRegionInDepartment(errors, "regionCode", region, department);
        if (errors.Count > 0) return Decision.Reject(errors);

        if (name == inspector.Name && post == inspector.Post && region == inspector.RegionCode && expert == inspector.Expert
            && tags.SequenceEqual(inspector.Tags))
            return Decision.Accept();
        return Decision.Accept(new InspectorDetailsChanged(inspector.Id, name, post, region, expert, tags, command.Reason.Trim(), by));
    }

    /// <param name="today">The day the certificate is recorded: an already expired one is refused.</param>
    public static Decision Decide(AddCertificate command, Inspector inspector, DateOnly today, Actor by)
    {
        var errors = new List<DomainError>();
        var certificate = CheckCertificate(errors, "", command.Number, command.IssuedOn, command.ExpiresOn, today);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        if (inspector.Certificates.FirstOrDefault(c => c.Number == certificate!.Number) is { } held)
            return Decision.Reject(DomainError.Conflict("number", "certificate.number.taken",
                $"Certificate {held.Number} is already recorded ({held.IssuedOn:yyyy-MM-dd} to {held.ExpiresOn:yyyy-MM-dd}{(held.Revoked ? ", revoked" : "")}); certificates are not edited."));
        return Decision.Accept(new CertificateAdded(inspector.Id, certificate!.Number, certificate.IssuedOn, certificate.ExpiresOn, by));
    }

    public static Decision Decide(RevokeCertificate command, string number, Inspector inspector, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        var normalized = NormalizeCertificateNumber(number ?? "");
        if (inspector.Certificates.FirstOrDefault(c => c.Number == normalized) is not { } certificate)
            return Decision.Reject(DomainError.NotFound("number", "certificate.unknown", $"{inspector.Name} holds no certificate {normalized}."));
        if (certificate.Revoked) return Decision.Accept();
        return Decision.Accept(new CertificateRevoked(inspector.Id, certificate.Number, command.Reason.Trim(), by));
    }

    public static Decision Decide(ChangeInspectorStatus command, Inspector inspector, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Status is null)
            errors.Add(DomainError.Invalid("status", "status.required",
                $"'status' is required: one of {string.Join(", ", Enum.GetNames<InspectorStatus>())}."));
        if (command.EffectiveOn is null)
            errors.Add(DomainError.Invalid("effectiveOn", "effectiveOn.required", "'effectiveOn' is required (yyyy-MM-dd)."));
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        var last = inspector.StatusHistory[^1];
        if (command.EffectiveOn!.Value < last.EffectiveOn)
            return Decision.Reject(DomainError.Conflict("effectiveOn", "status.effective-date.order",
                $"The last status change took effect on {last.EffectiveOn:yyyy-MM-dd}; a new one cannot take effect before it."));
        if (command.Status == inspector.Status) return Decision.Accept();
        return Decision.Accept(new InspectorStatusChanged(inspector.Id, command.Status!.Value, command.EffectiveOn.Value, command.Reason.Trim(), by));
    }

    public static Decision Decide(DeclareConflictOfInterest command, Inspector inspector, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Relation is null)
            errors.Add(DomainError.Invalid("relation", "relation.required",
                $"'relation' is required: one of {string.Join(", ", Enum.GetNames<ConflictRelation>())}."));
        var creditCode = Identifiers.NormalizeOrNull(command.TargetCreditCode);
        var targetId = command.TargetId is { } t && t != Guid.Empty ? t : (Guid?)null;
        if (creditCode is null && targetId is null)
            errors.Add(DomainError.Invalid("targetCreditCode", "conflict.target.required",
                "Name the target by 'targetCreditCode' (统一社会信用代码) or 'targetId'."));
        if (creditCode is not null && CreditCode.Check(creditCode) is var problem and not CreditCode.Problem.None)
            errors.Add(DomainError.Invalid("targetCreditCode", problem == CreditCode.Problem.CheckCharacter ? "credit-code.check" : "credit-code.format",
                CreditCode.Describe(problem, creditCode)));
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));

        // Declaring the same interest again is harmless: the first declaration stands.
        if (inspector.Conflicts.Any(c => !c.Withdrawn && c.Relation == command.Relation && c.TargetCreditCode == creditCode && c.TargetId == targetId))
            return Decision.Accept();
        var conflictId = DeterministicId.For("inspector-conflict", $"{inspector.Id:N}:{inspector.Conflicts.Count + 1}");
        return Decision.Accept(new ConflictOfInterestDeclared(inspector.Id, conflictId, command.Relation!.Value, creditCode, targetId, command.Reason.Trim(), by));
    }

    public static Decision Decide(WithdrawConflictOfInterest command, Guid conflictId, Inspector inspector, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (inspector.Conflicts.FirstOrDefault(c => c.Id == conflictId) is not { } conflict)
            return Decision.Reject(DomainError.NotFound("conflictId", "conflict.unknown", $"{inspector.Name} has declared no conflict {conflictId}."));
        if (conflict.Withdrawn) return Decision.Accept();
        return Decision.Accept(new ConflictOfInterestWithdrawn(inspector.Id, conflictId, command.Reason.Trim(), by));
    }

    /// <param name="target">The department named by the command, or null when it is not registered.</param>
    public static Decision Decide(TransferInspector command, Inspector inspector, Department? target, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.DepartmentId is null || command.DepartmentId == Guid.Empty)
            errors.Add(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' is required."));
        if (command.RegionCode is not null) CheckRegionFormat(errors, "regionCode", command.RegionCode);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        if (command.DepartmentId == inspector.DepartmentId)
            return Decision.Reject(DomainError.Invalid("departmentId", "transfer.same-department",
                "The inspector is already in that department; change the region of responsibility with a details change."));
        if (target is null)
            return Decision.Reject(DomainError.Invalid("departmentId", "department.unknown", $"Department {command.DepartmentId} is not registered."));
        var region = command.RegionCode ?? inspector.RegionCode;
        CheckRegionInDepartment(errors, "regionCode", region, target);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!target.Active)
            return Decision.Reject(DomainError.Conflict("departmentId", "department.inactive", $"Department '{target.Name}' is deactivated."));
        return Decision.Accept(new InspectorTransferred(inspector.Id, inspector.DepartmentId, target.Id, region, command.Reason.Trim(), by));
    }

    public static Inspector? Evolve(Inspector? state, object @event) => @event switch
    {
        InspectorRegistered e => new Inspector(e.InspectorId, e.StaffCode, e.Name, e.DepartmentId, e.Post, e.RegionCode, e.Expert,
            [.. e.Tags], InspectorStatus.Active, [new InspectorStatusEntry(InspectorStatus.Active, e.ActiveFrom, "registered")], [], []),
        InspectorDetailsChanged e when state is not null => state with
        {
            Name = e.Name, Post = e.Post, RegionCode = e.RegionCode, Expert = e.Expert, Tags = [.. e.Tags],
        },
        CertificateAdded e when state is not null => state with
        {
            Certificates = [.. state.Certificates, new EnforcementCertificate(e.Number, e.IssuedOn, e.ExpiresOn)],
        },
        CertificateRevoked e when state is not null => state with
        {
            Certificates = [.. state.Certificates.Select(c => c.Number == e.Number ? c with { Revoked = true, RevocationReason = e.Reason } : c)],
        },
        InspectorStatusChanged e when state is not null => state with
        {
            Status = e.Status,
            StatusHistory = [.. state.StatusHistory, new InspectorStatusEntry(e.Status, e.EffectiveOn, e.Reason)],
        },
        ConflictOfInterestDeclared e when state is not null => state with
        {
            Conflicts = [.. state.Conflicts, new ConflictOfInterest(e.ConflictId, e.Relation, e.TargetCreditCode, e.TargetId, e.Reason)],
        },
        ConflictOfInterestWithdrawn e when state is not null => state with
        {
            Conflicts = [.. state.Conflicts.Select(c => c.Id == e.ConflictId ? c with { Withdrawn = true, WithdrawalReason = e.Reason } : c)],
        },
        InspectorTransferred e when state is not null => state with { DepartmentId = e.ToDepartmentId, RegionCode = e.RegionCode },
        _ => state,
    };

    // ---- shared checks ----

    private static bool IsLeft(Inspector inspector) => inspector.Status == InspectorStatus.Left;

    private static DomainError LeftError(Inspector inspector) =>
        DomainError.Conflict("status", "inspector.left", $"{inspector.Name} has left the directory; the record is kept but no longer changes.");

    private static string? NormalizePost(string? post) => string.IsNullOrWhiteSpace(post) ? null : post.Trim();

    private static void CheckPost(List<DomainError> errors, string? post)
    {
        if (post is not null && post.Trim().Length > MaxPostLength)
            errors.Add(DomainError.Invalid("post", "post.too-long", $"'post' is at most {MaxPostLength} characters."));
    }

    private static void CheckRegionFormat(List<DomainError> errors, string field, string? code)
    {
        if (!RegionRules.TryParseCode(code, out _, out _))
            errors.Add(DomainError.Invalid(field, "region.code.format", $"'{field}' is a six-digit GB/T 2260 code."));
    }

    private static void CheckRegionInDepartment(List<DomainError> errors, string field, string code, Department department)
    {
        if (!DepartmentRules.IsSameOrAncestorRegion(department.RegionCode, code))
            errors.Add(DomainError.Invalid(field, "inspector.region.outside-department",
                $"Region {code} is outside the region {department.RegionCode} of '{department.Name}'."));
    }

    /// <summary>Checks one certificate; <paramref name="prefix"/> is the JSON path of the certificate ("" at the top level).</summary>
    /// <param name="today">A certificate that has already expired by this day is refused: it could never make the inspector eligible.</param>
    private static EnforcementCertificate? CheckCertificate(List<DomainError> errors, string prefix, string? number, DateOnly? issuedOn, DateOnly? expiresOn, DateOnly today)
    {
        string Field(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
        var before = errors.Count;
        if (!IsValidCertificateNumber(number))
            errors.Add(DomainError.Invalid(Field("number"), "certificate.number.format",
                $"A certificate number is 1 to {MaxCertificateNumberLength} letters, digits, '-' or '_'."));
        if (issuedOn is null)
            errors.Add(DomainError.Invalid(Field("issuedOn"), "certificate.issuedOn.required", "The certificate's issue date is required (yyyy-MM-dd)."));
        if (expiresOn is null)
            errors.Add(DomainError.Invalid(Field("expiresOn"), "certificate.expiresOn.required", "The certificate's expiry date is required (yyyy-MM-dd)."));
        if (issuedOn is { } issued && expiresOn is { } expires && expires < issued)
            errors.Add(DomainError.Invalid(Field("expiresOn"), "certificate.dates",
                $"A certificate cannot expire ({expires:yyyy-MM-dd}) before it is issued ({issued:yyyy-MM-dd})."));
        else if (expiresOn is { } expiry && expiry < today)
            errors.Add(DomainError.Invalid(Field("expiresOn"), "certificate.expired",
                $"Certificate {number} expired on {expiry:yyyy-MM-dd}; only a certificate valid today ({today:yyyy-MM-dd}) or later can be recorded."));
        return errors.Count > before ? null : new EnforcementCertificate(NormalizeCertificateNumber(number!), issuedOn!.Value, expiresOn!.Value);
    }
}

/// <summary>
/// The one definition of the directory's filters, used by the live listing and by the as-of listing alike.
/// Every given criterion must hold; a criterion left out (null) holds for everyone.
/// </summary>
/// <param name="RegionCode">A region and everything inside it (GB/T 2260 prefixes: 130500 matches 1305xx).</param>
/// <param name="Status">The most recently recorded status.</param>
/// <param name="Tags">Tag codes the inspector must all carry.</param>
/// <param name="EligibleOn">Only inspectors who may be drawn on that day (<see cref="InspectorRules.IsEligibleOn"/>).</param>
public sealed record InspectorFilter(
    Guid? DepartmentId = null,
    string? RegionCode = null,
    InspectorStatus? Status = null,
    IReadOnlyList<string>? Tags = null,
    DateOnly? EligibleOn = null,
    bool? Expert = null)
{
    public IReadOnlyList<DomainError> Check()
    {
        var errors = new List<DomainError>();
        if (RegionCode is not null && !RegionRules.TryParseCode(RegionCode, out _, out _))
            errors.Add(DomainError.Invalid("regionCode", "region.code.format", "'regionCode' is a six-digit GB/T 2260 code."));
        return errors;
    }

    public bool Matches(Inspector inspector) =>
        (DepartmentId is not { } department || inspector.DepartmentId == department)
        && (RegionCode is not { Length: > 0 } region || DepartmentRules.IsSameOrAncestorRegion(region, inspector.RegionCode))
        && (Status is not { } status || inspector.Status == status)
        && (Expert is not { } expert || inspector.Expert == expert)
        && (EligibleOn is not { } day || InspectorRules.IsEligibleOn(inspector, day))
        && TagRules.Normalize(Tags).All(tag => inspector.Tags.Contains(tag, StringComparer.Ordinal));
}

// ---- Bulk import -----------------------------------------------------------------------------------------------

/// <summary>A data row of an import file with its values read (not yet checked against the directory).</summary>
public sealed record InspectorImportRow(
    int Row, string StaffCode, string Name, string? Post, string RegionCode, CertificateInput? Certificate, bool Expert, IReadOnlyList<string> Tags);

public sealed record InspectorImportSheet(IReadOnlyList<InspectorImportRow> Rows, IReadOnlyList<ImportRowError> Errors)
{
    /// <summary>How many data rows the file has, good or bad.</summary>
    public int RowCount { get; init; }
}

/// <param name="ExpectedVersion">The version the stream must still be at; null for a new inspector.</param>
public sealed record InspectorImportWrite(Guid InspectorId, long? ExpectedVersion, IReadOnlyList<object> Events);

/// <summary>Either every row's writes and the completion record, or every bad row: all or nothing.</summary>
public sealed record InspectorImportPlan(IReadOnlyList<ImportRowError> Errors, IReadOnlyList<InspectorImportWrite> Writes, InspectorImportCompleted? Completed)
{
    public bool IsRejected => Errors.Count > 0;
}

/// <summary>
/// Bulk import of a department's inspectors from CSV ("通过分类标注、批量导入等方式", 西华 2022). Every row goes through the
/// same decisions as the HTTP commands (register, details change, add certificate), so the rules are the same either way.
/// </summary>
public static class InspectorImport
{
    public const string StaffCode = "staff_code";
    public const string Name = "name";
    public const string Post = "post";
    public const string RegionCode = "region_code";
    public const string CertificateNumber = "certificate_number";
    public const string CertificateIssuedOn = "certificate_issued_on";
    public const string CertificateExpiresOn = "certificate_expires_on";
    public const string Expert = "expert";
    public const string Tags = "tags";

    public static readonly IReadOnlyList<string> Columns =
        [StaffCode, Name, Post, RegionCode, CertificateNumber, CertificateIssuedOn, CertificateExpiresOn, Expert, Tags];

    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d"];
    private static readonly string[] Yes = ["1", "true", "yes", "y", "是"];
    private static readonly string[] No = ["", "0", "false", "no", "n", "否"];

    public static Guid IdFor(Guid departmentId, string fileSha256) => DeterministicId.For("inspector-import", $"{departmentId:N}:{fileSha256}");

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Decodes and reads a file (see <see cref="Read(IReadOnlyList{CsvFile.Row})"/>); null when it is neither UTF-8 nor GB18030.</summary>
    public static (InspectorImportSheet? Sheet, string Encoding, ImportRowError? Problem) Read(ReadOnlySpan<byte> bytes)
    {
        var (text, encoding, problem) = CsvFile.Decode(bytes);
        return text is null
            ? (null, encoding, new ImportRowError(1, "", "csv.encoding", problem ?? "The file is neither UTF-8 nor GB18030 text."))
            : (Read(CsvFile.Parse(text).ToList()), encoding, null);
    }

    /// <summary>Reads the file's rows and checks what can be checked without the directory: header, columns, formats.</summary>
    public static InspectorImportSheet Read(IReadOnlyList<CsvFile.Row> records)
    {
        var errors = new List<ImportRowError>();
        if (records.Count == 0)
            return new([], [new(1, "", "csv.empty", $"The file is empty; its first line names the columns: {string.Join(",", Columns)}.")]);

        var header = records[0];
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var unknown in names.Where(n => !Columns.Contains(n)).Distinct())
            errors.Add(new(header.Line, unknown, "csv.column.unknown", $"Unknown column '{unknown}'; the columns are {string.Join(",", Columns)}."));
        foreach (var twice in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
            errors.Add(new(header.Line, twice, "csv.column.duplicate", $"Column '{twice}' appears more than once."));
        foreach (var missing in Columns.Where(c => !names.Contains(c)))
            errors.Add(new(header.Line, missing, "csv.column.missing", $"Column '{missing}' is missing from the header."));
        if (errors.Count > 0) return new([], errors);

        var rows = new List<InspectorImportRow>();
        var dataRows = 0;
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            dataRows++;
            if (record.Fields.Count != names.Count)
            {
                errors.Add(new(record.Line, "", "csv.row.width", $"The row has {record.Fields.Count} values; the header has {names.Count} columns."));
                continue;
            }
            string Value(string column) => record.Fields[names.IndexOf(column)].Trim();
            var rowErrors = new List<ImportRowError>();

            DateOnly? Date(string column)
            {
                var value = Value(column);
                if (value.Length == 0) return null;
                if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
                rowErrors.Add(new(record.Line, column, "date.format", $"'{value}' is not a date (yyyy-MM-dd)."));
                return null;
            }

            CertificateInput? certificate = null;
            var number = Value(CertificateNumber);
            var issuedText = Value(CertificateIssuedOn);
            var expiresText = Value(CertificateExpiresOn);
            var issued = Date(CertificateIssuedOn);
            var expires = Date(CertificateExpiresOn);
            if (number.Length > 0 || issuedText.Length > 0 || expiresText.Length > 0)
            {
                foreach (var (column, value) in new[] { (CertificateNumber, number), (CertificateIssuedOn, issuedText), (CertificateExpiresOn, expiresText) })
                {
                    if (value.Length == 0)
                        rowErrors.Add(new(record.Line, column, "certificate.incomplete",
                            "A certificate needs its number, issue date and expiry date; leave all three empty for none."));
                }
                certificate = new CertificateInput(number, issued, expires);
            }

            var expertText = Value(Expert);
            var expert = false;
            if (Yes.Contains(expertText.ToLowerInvariant())) expert = true;
            else if (!No.Contains(expertText.ToLowerInvariant()))
                rowErrors.Add(new(record.Line, Expert, "expert.format", $"'{expertText}' is not a yes/no value (true/false, 1/0, 是/否)."));

            var tags = Value(Tags).Split([';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var post = Value(Post);
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            rows.Add(new InspectorImportRow(record.Line, Value(StaffCode), Value(Name), post.Length == 0 ? null : post, Value(RegionCode),
                certificate, expert, tags));
        }
        if (dataRows == 0 && errors.Count == 0)
            errors.Add(new(header.Line, "", "csv.empty", "The file has a header but no data rows."));
        return new InspectorImportSheet(rows, errors) { RowCount = dataRows };
    }

    /// <summary>The inspector ids a sheet names (to load before planning).</summary>
    public static IReadOnlyList<Guid> InspectorIds(InspectorImportSheet sheet) =>
        sheet.Rows.Where(r => InspectorRules.IsValidStaffCode(r.StaffCode)).Select(r => Inspector.IdFor(r.StaffCode)).Distinct().ToList();

    /// <summary>The tag codes a sheet names (to load before planning).</summary>
    public static IReadOnlyList<string> TagCodes(InspectorImportSheet sheet) => TagRules.Normalize(sheet.Rows.SelectMany(r => r.Tags));

    /// <summary>
    /// Decides every row: new staff codes are registered, known ones of this department are brought in line with the file
    /// (details change with reason "import &lt;hash prefix&gt;", new certificate added) or skipped when identical.
    /// Any bad row refuses the whole file.
    /// </summary>
    /// <param name="existing">The inspectors already registered under the file's staff codes, by id.</param>
    public static InspectorImportPlan Plan(
        InspectorImportSheet sheet, Guid departmentId, Department? department, IReadOnlyDictionary<Guid, Inspector> existing,
        IReadOnlyDictionary<string, TagDefinition> library, string fileSha256, string encoding, DateOnly today, Actor by)
    {
        var errors = new List<ImportRowError>(sheet.Errors);
        var writes = new List<InspectorImportWrite>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int registered = 0, changed = 0, unchanged = 0;
        var reason = $"import {fileSha256[..Math.Min(12, fileSha256.Length)]}";

        foreach (var row in sheet.Rows)
        {
            void Refuse(IEnumerable<DomainError> refused) =>
                errors.AddRange(refused.Select(e => new ImportRowError(row.Row, ColumnFor(e.Field), e.Rule, e.Message)));

            var key = Identifiers.Normalize(row.StaffCode);
            if (key.Length > 0 && seen.TryGetValue(key, out var first))
            {
                errors.Add(new(row.Row, StaffCode, "inspector.code.duplicate", $"Staff code {key} is already on line {first}."));
                continue;
            }
            seen[key] = row.Row;

            var register = new RegisterInspector(row.StaffCode, row.Name, departmentId, row.Post, row.RegionCode,
                row.Certificate is { } c ? [c] : [], row.Tags, row.Expert);
            var current = InspectorRules.IsValidStaffCode(row.StaffCode) ? existing.GetValueOrDefault(Inspector.IdFor(row.StaffCode)) : null;
            if (current is null || current.DepartmentId != departmentId)
            {
                var decision = InspectorRules.Decide(register, current, department, library, today, by);
                if (decision.IsRejected) Refuse(decision.Errors);
                else
                {
                    writes.Add(new InspectorImportWrite(Inspector.IdFor(row.StaffCode), null, decision.Events));
                    registered++;
                }
                continue;
            }

            var events = new List<object>();
            var details = InspectorRules.Decide(
                new ChangeInspectorDetails(row.Name, row.Post ?? "", row.RegionCode, row.Expert, row.Tags, reason, current.Version),
                current, department, library, by);
            if (details.IsRejected)
            {
                Refuse(details.Errors);
                continue;
            }
            events.AddRange(details.Events);
            var state = details.Events.Aggregate(current, (s, e) => InspectorRules.Evolve(s, e)!);
            if (row.Certificate is { } certificate && !Holds(state, certificate))
            {
                var added = InspectorRules.Decide(new AddCertificate(certificate.Number, certificate.IssuedOn, certificate.ExpiresOn, state.Version), state, today, by);
                if (added.IsRejected)
                {
                    Refuse(added.Errors);
                    continue;
                }
                events.AddRange(added.Events);
            }
            if (events.Count == 0) unchanged++;
            else
            {
                writes.Add(new InspectorImportWrite(current.Id, current.Version, events));
                changed++;
            }
        }

        if (errors.Count > 0)
            return new InspectorImportPlan([.. errors.OrderBy(e => e.Row).ThenBy(e => e.Column, StringComparer.Ordinal)], [], null);
        var completed = new InspectorImportCompleted(IdFor(departmentId, fileSha256), departmentId, fileSha256, encoding,
            sheet.RowCount, registered, changed, unchanged, by);
        return new InspectorImportPlan([], writes, completed);
    }

    private static bool Holds(Inspector inspector, CertificateInput certificate) =>
        inspector.Certificates.Any(held => held.Number == InspectorRules.NormalizeCertificateNumber(certificate.Number)
            && held.IssuedOn == certificate.IssuedOn && held.ExpiresOn == certificate.ExpiresOn);

    /// <summary>The file's column for a command field named in a refusal.</summary>
    private static string ColumnFor(string field) => field switch
    {
        "staffCode" => StaffCode,
        "name" => Name,
        "post" => Post,
        "regionCode" => RegionCode,
        "expert" => Expert,
        "tags" => Tags,
        "status" => StaffCode,
        "departmentId" or "reason" => "",
        _ when field.EndsWith("number", StringComparison.Ordinal) => CertificateNumber,
        _ when field.EndsWith("issuedOn", StringComparison.Ordinal) => CertificateIssuedOn,
        _ when field.EndsWith("expiresOn", StringComparison.Ordinal) => CertificateExpiresOn,
        _ => field,
    };
}
