namespace Supervision.Domain.Directories;

/// <summary>An enforcement certificate held by an inspector. Certificates are never edited: revoke one and add another.</summary>
public sealed record EnforcementCertificate(string Number, DateOnly IssuedOn, DateOnly ExpiresOn, bool Revoked = false, string? RevocationReason = null)
{
    /// <summary>Valid on a day: not revoked and <c>issuedOn &lt;= date &lt;= expiresOn</c> (both days included).</summary>
    public bool IsValidOn(DateOnly date) => !Revoked && IssuedOn <= date && date <= ExpiresOn;
}

/// <summary>One entry of the status history: from <paramref name="EffectiveOn"/> on, the inspector is <paramref name="Status"/>.</summary>
public sealed record InspectorStatusEntry(InspectorStatus Status, DateOnly EffectiveOn, string Reason);

/// <summary>A declared interest in a target; withdrawn ones stay, so the history of recusal grounds is complete.</summary>
public sealed record ConflictOfInterest(
    Guid Id, ConflictRelation Relation, string? TargetCreditCode, Guid? TargetId, string Reason, bool Withdrawn = false, string? WithdrawalReason = null);

/// <summary>An inspector of the directory as rebuilt from its events.</summary>
/// <param name="Status">The most recently recorded status (which may take effect on a later day); see <see cref="InspectorRules.StatusOn"/>.</param>
public sealed record Inspector(
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
    IReadOnlyList<ConflictOfInterest> Conflicts) : IFolded<Inspector>
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public Inspector WithVersion(long version) => this with { Version = version };

    public static Inspector? StateAfter(Inspector? state, object @event) => InspectorRules.Evolve(state, @event);

    public static Guid IdFor(string staffCode) => DeterministicId.For("inspector", Identifiers.Normalize(staffCode));
}
