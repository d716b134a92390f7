namespace Supervision.Domain.Directories;

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
