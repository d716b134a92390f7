namespace Supervision.Domain.Directories;

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
