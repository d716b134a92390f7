namespace Supervision.Domain.Directories;

/// <summary>The inspector directory's limits, the questions other slices ask of an inspector (eligible, in conflict), and the fold.</summary>
public static partial class InspectorRules
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

    /// <summary>
    /// A directory keeper keeps only their own department's inspectors (the token's department claim): anyone else is refused
    /// (403) before the command itself is looked at. No department named yet: the command's own checks say so.
    /// </summary>
    public static DomainError? CheckKeeperOf(Actor by, Guid? departmentId) =>
        departmentId is not { } id || id == Guid.Empty || IsKeeperOf(by, id)
            ? null
            : DomainError.Forbidden("departmentId", "inspector.department.not-yours",
                $"Only a directory keeper of department {id} keeps its inspectors; the caller acts for {by.DepartmentId?.ToString() ?? "no department"}.");

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

    public static Inspector? Evolve(Inspector? state, object @event) => @event switch
    {
        InspectorRegistered e => new Inspector(e.InspectorId, e.StaffCode, e.Name, e.DepartmentId, e.Post, e.RegionCode, e.Expert,
            [.. e.Tags], InspectorStatus.Active, [new InspectorStatusEntry(InspectorStatus.Active, e.ActiveFrom, "registered")], [], []),
        InspectorDetailsChanged e when state is not null => state with
        {
            Name = e.Name,
            Post = e.Post,
            RegionCode = e.RegionCode,
            Expert = e.Expert,
            Tags = [.. e.Tags],
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
