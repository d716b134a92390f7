namespace Supervision.Domain.Directories;

public sealed record DefineCreditScheme(string ProvinceCode, IReadOnlyList<string> Classes, string Reason);

/// <summary>A province's credit risk classes from now on; classes already set on targets stay as recorded.</summary>
public sealed record CreditSchemeDefined(Guid SchemeId, string ProvinceCode, IReadOnlyList<string> Classes, string Reason, Actor By);

public sealed record CreditSchemeState(Guid Id, string ProvinceCode, IReadOnlyList<string> Classes)
{
    public long Version { get; init; }

    public static Guid IdFor(string provinceCode) => DeterministicId.For("credit-scheme", provinceCode);

    /// <summary>The province of any region code: its first two digits followed by 0000.</summary>
    public static string ProvinceOf(string regionCode) => regionCode[..2] + "0000";
}

public static class CreditSchemeRules
{
    /// <summary>Every event type of a scheme stream.</summary>
    public static readonly IReadOnlyList<Type> EventTypes = [typeof(CreditSchemeDefined)];

    public static Decision Decide(DefineCreditScheme command, Region? province, Actor by)
    {
        var errors = new List<DomainError>();
        if (!RegionRules.TryParseCode(command.ProvinceCode, out var level, out _) || level != RegionLevel.Province)
            errors.Add(DomainError.Invalid("provinceCode", "region.province.required", "'provinceCode' is a province-level GB/T 2260 code such as 130000."));
        var classes = (command.Classes ?? []).Select(c => c?.Trim().ToUpperInvariant() ?? "").ToList();
        if (classes.Count is < 2 or > 10 || classes.Any(c => c.Length is 0 or > 10) || classes.Distinct().Count() != classes.Count)
            errors.Add(DomainError.Invalid("classes", "credit-scheme.classes", "A scheme has 2 to 10 distinct class names of up to 10 characters, lowest risk first (e.g. A, B, C, D)."));
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (province is null)
            return Decision.Reject(DomainError.Invalid("provinceCode", "region.unknown", $"Region {command.ProvinceCode} is not registered."));
        return Decision.Accept(new CreditSchemeDefined(CreditSchemeState.IdFor(command.ProvinceCode), command.ProvinceCode, classes, command.Reason.Trim(), by));
    }

    public static CreditSchemeState? Evolve(CreditSchemeState? state, object @event) => @event switch
    {
        CreditSchemeDefined e => new CreditSchemeState(e.SchemeId, e.ProvinceCode, e.Classes),
        _ => state,
    };
}
