namespace Supervision.Api.Directories.Inspectors;

public sealed record InspectorView(
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
    IReadOnlyList<ConflictOfInterest> Conflicts,
    long Version)
{
    public static InspectorView From(Inspector i) =>
        new(i.Id, i.StaffCode, i.Name, i.DepartmentId, i.Post, i.RegionCode, i.Expert, i.Tags, i.Status, i.StatusHistory, i.Certificates,
            i.Conflicts, i.Version);
}
