using System.Text.RegularExpressions;

namespace Supervision.Domain.Directories;

/// <summary>What a target of inspection is: the three kinds of market entity, or a non-entity target.</summary>
public enum TargetKind
{
    /// <summary>企业</summary>
    Enterprise,
    /// <summary>个体工商户</summary>
    SoleTrader,
    /// <summary>农民专业合作社</summary>
    FarmerCooperative,
    /// <summary>产品</summary>
    Product,
    /// <summary>项目 (e.g. a construction or land-use project)</summary>
    Project,
    /// <summary>行为 (a regulated behaviour, e.g. a promotion campaign)</summary>
    Behaviour,
}

/// <summary>Operating status as the registration authority reports it.</summary>
public enum OperatingStatus
{
    /// <summary>存续/在业</summary>
    Operating,
    /// <summary>吊销</summary>
    Revoked,
    /// <summary>注销</summary>
    Deregistered,
    /// <summary>迁出</summary>
    MovedOut,
    /// <summary>歇业</summary>
    Suspended,
}

public enum TargetScale
{
    Large,
    Medium,
    Small,
    Micro,
}

/// <summary>
/// The facts of a target that a directory keeper maintains. Entity targets are identified by their unified social
/// credit code; non-entity targets by a code the department assigns.
/// </summary>
public sealed record TargetFacts(
    string? CreditCode,
    string? Code,
    string Name,
    TargetKind? Kind,
    string? IndustryCode,
    string RegionCode,
    string? Address,
    DateOnly? RegisteredOn,
    TargetScale? Scale,
    IReadOnlyList<Guid>? SupervisingDepartmentIds,
    IReadOnlyList<string>? Tags);

public sealed record RegisterTarget(
    string? CreditCode, string? Code, string Name, TargetKind? Kind, string? IndustryCode, string RegionCode, string? Address,
    DateOnly? RegisteredOn, TargetScale? Scale, OperatingStatus? Status, IReadOnlyList<Guid>? SupervisingDepartmentIds,
    IReadOnlyList<string>? Tags, string? CreditClass, DateOnly? CreditClassSetOn)
{
    public TargetFacts Facts => new(CreditCode, Code, Name, Kind, IndustryCode, RegionCode, Address, RegisteredOn, Scale, SupervisingDepartmentIds, Tags);
}

/// <summary>Replaces the maintainable facts (everything but identity, status and credit class), with a reason.</summary>
public sealed record ChangeTargetDetails(
    string Name, string? IndustryCode, string RegionCode, string? Address, DateOnly? RegisteredOn, TargetScale? Scale,
    IReadOnlyList<Guid>? SupervisingDepartmentIds, IReadOnlyList<string>? Tags, string Reason, long Version);

public sealed record ChangeTargetStatus(OperatingStatus? Status, DateOnly? EffectiveOn, string Reason, long Version);

/// <summary>A credit risk classification, e.g. from the monthly reclassification (企业信用风险分级分类).</summary>
public sealed record SetTargetCreditClass(string CreditClass, DateOnly? SetOn, string Basis, long Version);

public sealed record Target(
    Guid Id, string Identifier, string? CreditCode, string Name, TargetKind Kind, string? IndustryCode, string RegionCode,
    string? Address, DateOnly? RegisteredOn, TargetScale? Scale, OperatingStatus Status, DateOnly? StatusSince,
    IReadOnlyList<Guid> SupervisingDepartmentIds, IReadOnlyList<string> Tags, string? CreditClass, DateOnly? CreditClassSetOn) : IFolded<Target>
{
    public long Version { get; init; }

    public Target WithVersion(long version) => this with { Version = version };

    public static Target? StateAfter(Target? state, object @event) => TargetRules.Evolve(state, @event);

    public static bool IsEntity(TargetKind kind) => kind is TargetKind.Enterprise or TargetKind.SoleTrader or TargetKind.FarmerCooperative;

    /// <summary>Entities by credit code; non-entity targets by kind and code, so the two can never collide.</summary>
    public static string IdentifierFor(TargetKind kind, string? creditCode, string? code) =>
        IsEntity(kind) ? Identifiers.Normalize(creditCode!) : $"{kind}/{Identifiers.Normalize(code!)}";

    public static Guid IdFor(string identifier) => DeterministicId.For("target", identifier);
}

/// <summary>
/// The credit risk classes in force for a province. Most use A/B/C/D; some use five classes, so the scheme is data.
/// </summary>
public sealed record CreditRiskScheme(IReadOnlyList<string> Classes)
{
    public static readonly CreditRiskScheme Default = new(["A", "B", "C", "D"]);
}

public static partial class TargetRules
{
    public const int MaxNameLength = 200;

    /// <summary>国民经济行业分类 (GB/T 4754-2017): a section letter A–T, optionally followed by the 2-, 3- or 4-digit class.</summary>
    [GeneratedRegex("^[A-T]([0-9]{2}|[0-9]{3}|[0-9]{4})?$")]
    private static partial Regex IndustryCodePattern();

    public static bool IsValidIndustryCode(string? code) => code is not null && IndustryCodePattern().IsMatch(code);

    /// <summary>What the shell loaded for a command: the departments and tags it names, and the credit scheme of its province.</summary>
    public sealed record References(
        IReadOnlyDictionary<Guid, Department> Departments,
        IReadOnlyDictionary<string, TagDefinition> Tags,
        CreditRiskScheme Scheme);

    public static Decision Decide(RegisterTarget command, Target? existing, References refs, string source, Actor by)
    {
        var errors = CheckFacts(command.Facts, refs).ToList();
        if (command.CreditClass is not null || command.CreditClassSetOn is not null)
            errors.AddRange(CheckCreditClass(command.CreditClass, command.CreditClassSetOn, refs.Scheme));
        if (errors.Count > 0) return Decision.Reject(errors);

        var kind = command.Kind!.Value;
        var identifier = Target.IdentifierFor(kind, command.CreditCode, command.Code);
        if (existing is not null)
        {
            var field = Target.IsEntity(kind) ? "creditCode" : "code";
            return Decision.Reject(DomainError.Conflict(field, "target.identifier.taken", $"Target {identifier} is already in the directory as '{existing.Name}'."));
        }
        return Decision.Accept(new TargetRegistered(
            Target.IdFor(identifier), identifier, Target.IsEntity(kind) ? identifier : null, command.Name.Trim(), kind,
            command.IndustryCode, command.RegionCode, command.Address?.Trim(), command.RegisteredOn, command.Scale,
            command.Status ?? OperatingStatus.Operating, Departments(command.SupervisingDepartmentIds), TagRules.Normalize(command.Tags),
            command.CreditClass?.Trim().ToUpperInvariant(), command.CreditClass is null ? null : command.CreditClassSetOn, source, by));
    }

    public static Decision Decide(ChangeTargetDetails command, Target target, References refs, Actor by)
    {
        var facts = new TargetFacts(target.CreditCode, target.Identifier, command.Name, target.Kind, command.IndustryCode, command.RegionCode,
            command.Address, command.RegisteredOn, command.Scale, command.SupervisingDepartmentIds, command.Tags);
        var errors = CheckFacts(facts, refs, identityChecked: true).ToList();
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);

        var changed = new TargetDetailsChanged(target.Id, command.Name.Trim(), command.IndustryCode, command.RegionCode, command.Address?.Trim(),
            command.RegisteredOn, command.Scale, Departments(command.SupervisingDepartmentIds), TagRules.Normalize(command.Tags), command.Reason.Trim(), by);
        return SameDetails(target, changed) ? Decision.Accept() : Decision.Accept(changed);
    }

    public static Decision Decide(ChangeTargetStatus command, Target target, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Status is null)
            errors.Add(DomainError.Invalid("status", "status.required", $"'status' is required: one of {string.Join(", ", Enum.GetNames<OperatingStatus>())}."));
        if (command.EffectiveOn is null)
            errors.Add(DomainError.Invalid("effectiveOn", "effectiveOn.required", "'effectiveOn' is required: the date the status took effect."));
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (target.Status == command.Status) return Decision.Accept();
        return Decision.Accept(new TargetStatusChanged(target.Id, target.Status, command.Status!.Value, command.EffectiveOn!.Value, command.Reason.Trim(), by));
    }

    public static Decision Decide(SetTargetCreditClass command, Target target, CreditRiskScheme scheme, Actor by)
    {
        var errors = CheckCreditClass(command.CreditClass, command.SetOn, scheme).ToList();
        if (string.IsNullOrWhiteSpace(command.Basis))
            errors.Add(DomainError.Invalid("basis", "basis.required", "'basis' is required: which classification set this class (e.g. '2026-10 monthly reclassification')."));
        if (errors.Count > 0) return Decision.Reject(errors);
        var creditClass = command.CreditClass.Trim().ToUpperInvariant();
        if (target.CreditClass == creditClass && target.CreditClassSetOn == command.SetOn) return Decision.Accept();
        return Decision.Accept(new TargetCreditClassSet(target.Id, target.CreditClass, creditClass, command.SetOn!.Value, command.Basis.Trim(), by));
    }

    public static Target? Evolve(Target? state, object @event) => @event switch
    {
        TargetRegistered e => new Target(e.TargetId, e.Identifier, e.CreditCode, e.Name, e.Kind, e.IndustryCode, e.RegionCode, e.Address,
            e.RegisteredOn, e.Scale, e.Status, null, e.SupervisingDepartmentIds, e.Tags, e.CreditClass, e.CreditClassSetOn),
        TargetDetailsChanged e when state is not null => state with
        {
            Name = e.Name,
            IndustryCode = e.IndustryCode,
            RegionCode = e.RegionCode,
            Address = e.Address,
            RegisteredOn = e.RegisteredOn,
            Scale = e.Scale,
            SupervisingDepartmentIds = e.SupervisingDepartmentIds,
            Tags = e.Tags,
        },
        TargetStatusChanged e when state is not null => state with { Status = e.Status, StatusSince = e.EffectiveOn },
        TargetCreditClassSet e when state is not null => state with { CreditClass = e.CreditClass, CreditClassSetOn = e.SetOn },
        _ => state,
    };

    public static readonly Type[] EventTypes =
        [typeof(TargetRegistered), typeof(TargetDetailsChanged), typeof(TargetStatusChanged), typeof(TargetCreditClassSet)];

    /// <summary>True when a change event would leave the target as it is (so a repeated change, e.g. a re-import, writes nothing).</summary>
    public static bool SameDetails(Target target, TargetDetailsChanged change) =>
        target.Name == change.Name && target.IndustryCode == change.IndustryCode && target.RegionCode == change.RegionCode &&
        target.Address == change.Address && target.RegisteredOn == change.RegisteredOn && target.Scale == change.Scale &&
        target.SupervisingDepartmentIds.SequenceEqual(change.SupervisingDepartmentIds) && target.Tags.SequenceEqual(change.Tags);

    private static IReadOnlyList<Guid> Departments(IEnumerable<Guid>? ids) => (ids ?? []).Distinct().Order().ToList();

    private static IEnumerable<DomainError> CheckFacts(TargetFacts facts, References refs, bool identityChecked = false)
    {
        var errors = new List<DomainError>();
        if (!identityChecked)
        {
            if (facts.Kind is null)
                errors.Add(DomainError.Invalid("kind", "kind.required", $"'kind' is required: one of {string.Join(", ", Enum.GetNames<TargetKind>())}."));
            else if (Target.IsEntity(facts.Kind.Value))
            {
                // Checked, described and stored in one normalised form: the hint names the check character of what is kept.
                var creditCode = Identifiers.NormalizeOrNull(facts.CreditCode);
                var problem = CreditCode.Check(creditCode);
                if (problem != CreditCode.Problem.None)
                    errors.Add(DomainError.Invalid("creditCode", $"credit-code.{problem.ToString().ToLowerInvariant()}",
                        CreditCode.Describe(problem, creditCode)));
            }
            else if (Identifiers.NormalizeOrNull(facts.Code) is not { Length: <= 60 })
                errors.Add(DomainError.Invalid("code", "target.code.required", "A product, project or behaviour target needs a 'code' of up to 60 characters."));
        }
        Text.RequireName(errors, "name", facts.Name, MaxNameLength);
        if (facts.IndustryCode is not null && !IsValidIndustryCode(facts.IndustryCode))
            errors.Add(DomainError.Invalid("industryCode", "industry.code.format",
                $"'{facts.IndustryCode}' is not a GB/T 4754-2017 industry code (a section letter A–T, optionally with 2–4 digits, e.g. C1311)."));
        if (!RegionRules.TryParseCode(facts.RegionCode, out _, out _))
            errors.Add(DomainError.Invalid("regionCode", "region.code.format", "'regionCode' is a six-digit GB/T 2260 code."));
        foreach (var id in facts.SupervisingDepartmentIds ?? [])
        {
            if (!refs.Departments.TryGetValue(id, out var department) || !department.Active)
                errors.Add(DomainError.Invalid("supervisingDepartmentIds", "department.unknown", $"Department {id} is not registered or is deactivated."));
        }
        errors.AddRange(TagRules.CheckTags("tags", TagRules.Normalize(facts.Tags), refs.Tags, TagScope.Target));
        return errors;
    }

    private static IEnumerable<DomainError> CheckCreditClass(string? creditClass, DateOnly? setOn, CreditRiskScheme scheme)
    {
        if (string.IsNullOrWhiteSpace(creditClass) || !scheme.Classes.Contains(creditClass.Trim().ToUpperInvariant()))
            yield return DomainError.Invalid("creditClass", "credit-class.unknown",
                $"'{creditClass}' is not a credit risk class of this province's scheme ({string.Join("/", scheme.Classes)}).");
        if (setOn is null)
            yield return DomainError.Invalid("creditClassSetOn", "credit-class.date.required", "The date the credit class was set is required.");
    }
}

/// <summary>
/// A selection over the target directory. One definition of what matches, used by the live listing, the as-of
/// listing and (later) the draw's pool, so they cannot disagree.
/// </summary>
public sealed record TargetFilter(
    string? RegionCode = null,
    string? IndustryCode = null,
    TargetKind? Kind = null,
    string? CreditClass = null,
    IReadOnlyList<string>? Tags = null,
    OperatingStatus? Status = null,
    Guid? SupervisingDepartmentId = null,
    DateOnly? RegisteredFrom = null,
    DateOnly? RegisteredTo = null)
{
    /// <summary>A region code selects itself and every division under it (GB/T 2260 prefixes).</summary>
    public string? RegionPrefix => RegionCode is null ? null
        : RegionCode.EndsWith("0000", StringComparison.Ordinal) ? RegionCode[..2]
        : RegionCode.EndsWith("00", StringComparison.Ordinal) ? RegionCode[..4]
        : RegionCode;

    public IReadOnlyList<string> NormalizedTags => TagRules.Normalize(Tags);

    public bool Matches(Target t) =>
        (RegionPrefix is null || t.RegionCode.StartsWith(RegionPrefix, StringComparison.Ordinal)) &&
        (IndustryCode is null || (t.IndustryCode?.StartsWith(IndustryCode, StringComparison.Ordinal) ?? false)) &&
        (Kind is null || t.Kind == Kind) &&
        (CreditClass is null || t.CreditClass == CreditClass.ToUpperInvariant()) &&
        NormalizedTags.All(t.Tags.Contains) &&
        (Status is null || t.Status == Status) &&
        (SupervisingDepartmentId is null || t.SupervisingDepartmentIds.Contains(SupervisingDepartmentId.Value)) &&
        (RegisteredFrom is null || (t.RegisteredOn is { } from && from >= RegisteredFrom)) &&
        (RegisteredTo is null || (t.RegisteredOn is { } to && to <= RegisteredTo));
}
