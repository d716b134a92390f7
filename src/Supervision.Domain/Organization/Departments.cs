namespace Supervision.Domain.Organization;

/// <summary>The kinds of department named in the seed documents; more can be added without touching old events.</summary>
public enum DepartmentKind
{
    /// <summary>市场监督管理局</summary>
    MarketRegulation,
    /// <summary>商务局</summary>
    Commerce,
    /// <summary>自然资源和规划局</summary>
    NaturalResourcesAndPlanning,
    /// <summary>Any other department with inspection duties (税务, 生态环境, 住建, 交通, 农业农村, 应急管理 …).</summary>
    Other,
}

public sealed record RegisterDepartment(string Code, string Name, DepartmentKind? Kind, string RegionCode, Guid? ParentDepartmentId);
/// <param name="Version">The stream version the caller last read; a stale one is refused with 409 instead of overwriting.</param>
public sealed record RenameDepartment(string Name, string Reason, long Version);
public sealed record DeactivateDepartment(string Reason, long Version);
/// <param name="RecordPublic">When a draw's public record may be read: "immediately", or "inspections-start" (不预先告知: from the inspection window's first day).</param>
public sealed record SetDrawRecordDisclosure(string RecordPublic, string Reason, long Version);

public sealed record DepartmentRegistered(
    Guid DepartmentId, string Code, string Name, DepartmentKind Kind, string RegionCode, Guid? ParentDepartmentId, Actor By);
public sealed record DepartmentRenamed(Guid DepartmentId, string PreviousName, string Name, string Reason, Actor By);
public sealed record DepartmentDeactivated(Guid DepartmentId, string Reason, Actor By);
public sealed record DrawRecordDisclosureSet(Guid DepartmentId, string RecordPublic, string Reason, Actor By);

public sealed record Department(
    Guid Id, string Code, string Name, DepartmentKind Kind, string RegionCode, Guid? ParentDepartmentId, bool Active) : IFolded<Department>
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public Department WithVersion(long version) => this with { Version = version };

    public static Department? StateAfter(Department? state, object @event) => DepartmentRules.Evolve(state, @event);

    /// <summary>When the public record of this department's draws may be read; captured by each draw when it is proposed.</summary>
    public string DrawRecordPublic { get; init; } = "immediately";

    public static Guid IdFor(string code) => DeterministicId.For("department", Identifiers.Normalize(code));
}

public static class DepartmentRules
{
    public const int MaxNameLength = 100;
    public const int MaxCodeLength = 40;

    /// <summary>Every event type of a department stream, in the order the fold below tests them.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
        [typeof(DepartmentRegistered), typeof(DepartmentRenamed), typeof(DepartmentDeactivated), typeof(DrawRecordDisclosureSet)];

    public static bool IsValidCode(string? code) =>
        code is { Length: >= 2 and <= MaxCodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <param name="region">The region named by the command, or null when it is not registered.</param>
    /// <param name="parent">The parent department named by the command, or null when none was named or it does not exist.</param>
    public static Decision Decide(RegisterDepartment command, Department? existing, Region? region, Department? parent, Actor by)
    {
        var errors = new List<DomainError>();
        if (!IsValidCode(Identifiers.NormalizeOrNull(command.Code)))
            errors.Add(DomainError.Invalid("code", "department.code.format",
                $"A department code is 2 to {MaxCodeLength} ASCII letters, digits or '-'."));
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (command.Kind is null)
            errors.Add(DomainError.Invalid("kind", "kind.required",
                $"'kind' is required: one of {string.Join(", ", Enum.GetNames<DepartmentKind>())}."));
        if (!RegionRules.TryParseCode(command.RegionCode, out _, out _))
            errors.Add(DomainError.Invalid("regionCode", "region.code.format", "'regionCode' is a six-digit GB/T 2260 code."));
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("code", "department.code.taken",
                $"Department code {command.Code} is already registered to '{existing.Name}'."));
        if (region is null)
            return Decision.Reject(DomainError.Invalid("regionCode", "region.unknown", $"Region {command.RegionCode} is not registered."));
        if (!region.Active)
            return Decision.Reject(DomainError.Conflict("regionCode", "region.inactive", $"Region {command.RegionCode} is deactivated."));
        if (command.ParentDepartmentId is { } parentId)
        {
            if (parent is null)
                return Decision.Reject(DomainError.Invalid("parentDepartmentId", "department.parent.unknown", $"Department {parentId} is not registered."));
            if (!parent.Active)
                return Decision.Reject(DomainError.Conflict("parentDepartmentId", "department.parent.inactive", $"Department '{parent.Name}' is deactivated."));
            if (!IsSameOrAncestorRegion(parent.RegionCode, region.Code))
                return Decision.Reject(DomainError.Invalid("parentDepartmentId", "department.parent.region",
                    $"A parent department must sit in the same region or one above it; '{parent.Name}' is in {parent.RegionCode}, not above {region.Code}."));
        }

        return Decision.Accept(new DepartmentRegistered(
            Department.IdFor(command.Code), Identifiers.Normalize(command.Code), command.Name.Trim(), command.Kind!.Value,
            region.Code, command.ParentDepartmentId, by));
    }

    public static Decision Decide(RenameDepartment command, Department department, Actor by) =>
        RegistryEntry.Rename(command.Name, command.Reason, MaxNameLength, department.Name, department.Active,
            DomainError.Conflict("id", "department.inactive", "A deactivated department cannot be renamed."),
            (name, reason) => new DepartmentRenamed(department.Id, department.Name, name, reason, by));

    public static Decision Decide(DeactivateDepartment command, Department department, Actor by) =>
        RegistryEntry.Deactivate(command.Reason, department.Active, reason => new DepartmentDeactivated(department.Id, reason, by));

    public static Decision Decide(SetDrawRecordDisclosure command, Department department, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, RegionRules.MaxReasonLength);
        if (command.RecordPublic is not ("immediately" or "inspections-start"))
            errors.Add(DomainError.Invalid("recordPublic", "draw-record-public.value", "The public record is readable 'immediately' or from 'inspections-start'."));
        if (by.Role != Roles.SystemAdmin && by.DepartmentId != department.Id)
            return Decision.Reject(DomainError.Forbidden("departmentId", "department.not-yours", "Only the department's own approver (or a system administrator) sets this."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (department.DrawRecordPublic == command.RecordPublic) return Decision.Accept();
        return Decision.Accept(new DrawRecordDisclosureSet(department.Id, command.RecordPublic, Text.Normalized(command.Reason), by));
    }

    public static Department? Evolve(Department? state, object @event) => @event switch
    {
        DepartmentRegistered e => new Department(e.DepartmentId, e.Code, e.Name, e.Kind, e.RegionCode, e.ParentDepartmentId, Active: true),
        DepartmentRenamed e when state is not null => state with { Name = e.Name },
        DepartmentDeactivated when state is not null => state with { Active = false },
        DrawRecordDisclosureSet e when state is not null => state with { DrawRecordPublic = e.RecordPublic },
        _ => state,
    };

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="code"/> itself or a division containing it (GB/T 2260 prefixes).</summary>
    public static bool IsSameOrAncestorRegion(string ancestor, string code)
    {
        var prefix = ancestor.EndsWith("0000", StringComparison.Ordinal) ? ancestor[..2]
            : ancestor.EndsWith("00", StringComparison.Ordinal) ? ancestor[..4]
            : ancestor;
        return code.StartsWith(prefix, StringComparison.Ordinal);
    }
}
