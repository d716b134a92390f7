namespace Supervision.Domain.Organization;

/// <summary>Level of an administrative division, read from its GB/T 2260 code.</summary>
public enum RegionLevel
{
    Province,
    City,
    County,
}

public sealed record RegisterRegion(string Code, string Name);
/// <param name="Version">The stream version the caller last read; a stale one is refused with 409 instead of overwriting.</param>
public sealed record RenameRegion(string Name, string Reason, long Version);
public sealed record DeactivateRegion(string Reason, long Version);

public sealed record RegionRegistered(Guid RegionId, string Code, string Name, RegionLevel Level, string? ParentCode, Actor By);
public sealed record RegionRenamed(Guid RegionId, string PreviousName, string Name, string Reason, Actor By);
public sealed record RegionDeactivated(Guid RegionId, string Reason, Actor By);

/// <summary>An administrative division (province, city, county/district) as rebuilt from its events.</summary>
public sealed record Region(Guid Id, string Code, string Name, RegionLevel Level, string? ParentCode, bool Active) : IFolded<Region>
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public Region WithVersion(long version) => this with { Version = version };

    public static Region? StateAfter(Region? state, object @event) => RegionRules.Evolve(state, @event);

    public static Guid IdFor(string code) => DeterministicId.For("region", code);
}

/// <summary>
/// Codes follow GB/T 2260 (中华人民共和国行政区划代码): six digits, province <c>XX0000</c>,
/// city <c>XXYY00</c>, county/district <c>XXYYZZ</c>. The parent of a division is derived from its code,
/// so a county can only be registered under a registered, active city of the same prefix.
/// </summary>
public static class RegionRules
{
    public const int MaxNameLength = 100;
    public const int MaxReasonLength = 1000;

    /// <summary>Every event type of a region stream, in the order the fold below tests them.</summary>
    public static readonly IReadOnlyList<Type> EventTypes = [typeof(RegionRegistered), typeof(RegionRenamed), typeof(RegionDeactivated)];

    public static bool TryParseCode(string? code, out RegionLevel level, out string? parentCode)
    {
        level = default;
        parentCode = null;
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit) || code[..2] == "00") return false;
        if (code[2..] == "0000")
        {
            level = RegionLevel.Province;
            return true;
        }
        if (code[4..] == "00")
        {
            level = RegionLevel.City;
            parentCode = code[..2] + "0000";
            return true;
        }
        level = RegionLevel.County;
        parentCode = code[..4] + "00";
        return true;
    }

    public static Decision Decide(RegisterRegion command, Region? existing, Region? parent, Actor by)
    {
        var errors = new List<DomainError>();
        if (!TryParseCode(command.Code, out var level, out var parentCode))
        {
            errors.Add(DomainError.Invalid("code", "region.code.format",
                "A region code is six digits per GB/T 2260 (e.g. 130000 province, 130500 city, 130521 county)."));
        }
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("code", "region.code.taken", $"Region {command.Code} is already registered as '{existing.Name}'."));
        if (parentCode is not null && parent is null)
            return Decision.Reject(DomainError.Invalid("code", "region.parent.missing", $"Register the parent region {parentCode} before {command.Code}."));
        if (parent is { Active: false })
            return Decision.Reject(DomainError.Conflict("code", "region.parent.inactive", $"The parent region {parentCode} is deactivated."));

        return Decision.Accept(new RegionRegistered(Region.IdFor(command.Code), command.Code, command.Name.Trim(), level, parentCode, by));
    }

    public static Decision Decide(RenameRegion command, Region region, Actor by) =>
        RegistryEntry.Rename(command.Name, command.Reason, MaxNameLength, region.Name, region.Active,
            DomainError.Conflict("id", "region.inactive", "A deactivated region cannot be renamed."),
            (name, reason) => new RegionRenamed(region.Id, region.Name, name, reason, by));

    public static Decision Decide(DeactivateRegion command, Region region, Actor by) =>
        RegistryEntry.Deactivate(command.Reason, region.Active, reason => new RegionDeactivated(region.Id, reason, by));

    public static Region? Evolve(Region? state, object @event) => @event switch
    {
        RegionRegistered e => new Region(e.RegionId, e.Code, e.Name, e.Level, e.ParentCode, Active: true),
        RegionRenamed e when state is not null => state with { Name = e.Name },
        RegionDeactivated when state is not null => state with { Active = false },
        _ => state,
    };
}
