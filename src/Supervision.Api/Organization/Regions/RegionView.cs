namespace Supervision.Api.Organization.Regions;

public sealed record RegionView(Guid Id, string Code, string Name, RegionLevel Level, string? ParentCode, bool Active, long Version)
{
    public static RegionView From(Region r) => new(r.Id, r.Code, r.Name, r.Level, r.ParentCode, r.Active, r.Version);
}
