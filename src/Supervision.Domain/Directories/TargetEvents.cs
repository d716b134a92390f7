namespace Supervision.Domain.Directories;

// The facts of a target stream; TargetRules.EventTypes lists them for the projection and the as-of folds.

public sealed record TargetRegistered(
    Guid TargetId, string Identifier, string? CreditCode, string Name, TargetKind Kind, string? IndustryCode, string RegionCode,
    string? Address, DateOnly? RegisteredOn, TargetScale? Scale, OperatingStatus Status, IReadOnlyList<Guid> SupervisingDepartmentIds,
    IReadOnlyList<string> Tags, string? CreditClass, DateOnly? CreditClassSetOn, string Source, Actor By);

public sealed record TargetDetailsChanged(
    Guid TargetId, string Name, string? IndustryCode, string RegionCode, string? Address, DateOnly? RegisteredOn, TargetScale? Scale,
    IReadOnlyList<Guid> SupervisingDepartmentIds, IReadOnlyList<string> Tags, string Reason, Actor By);

public sealed record TargetStatusChanged(Guid TargetId, OperatingStatus Previous, OperatingStatus Status, DateOnly EffectiveOn, string Reason, Actor By);

public sealed record TargetCreditClassSet(Guid TargetId, string? Previous, string CreditClass, DateOnly SetOn, string Basis, Actor By);
