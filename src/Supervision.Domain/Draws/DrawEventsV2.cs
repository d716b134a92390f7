namespace Supervision.Domain.Draws;

// The commands and events of algorithm supervision-draw/2 (docs/draw-algorithm.md); decided in DrawLifecycleV2.cs.

/// <summary>The person acting, the act's actor field (role:department:keyed digest) and the region of the actor's department (null without one).</summary>
public sealed record DrawActor(Actor By, string Field, string? RegionCode);

/// <summary>
/// A value's first entry, waiting for a second person's agreeing entry. Only a keyed digest of the value is kept, so the second
/// person cannot read (or guess, for a three-digit lottery number) the first entry and copy it instead of reading the source.
/// </summary>
public sealed record RandomnessEntry(string Source, string ValueDigest, string ActorField, Actor By);

/// <summary>A target or inspector a redo leaves out of the voided draw's pools, for the void's reason.</summary>
/// <param name="Kind">"target" or "inspector".</param>
public sealed record PoolCorrection(string Kind, Guid Id);

public sealed record VoidRequest(string Reason, IReadOnlyList<PoolCorrection> Corrections, string ActorField, Actor By);

public sealed record CommitDraw(string DisciplineContributionSha256, long Version);
/// <summary>No version: two people enter independently, and a concurrent append still conflicts (409) instead of being lost.</summary>
public sealed record EnterRandomness(string Source, string Value);
public sealed record RevealContribution(string Contribution);
public sealed record RequestVoid(string Reason, IReadOnlyList<PoolCorrection>? Corrections, long Version);
public sealed record CountersignVoid;

/// <summary>/2: the discipline office's contribution hash completes the commitment; from now on its hash is public and nothing in it changes.</summary>
public sealed record DrawCommitted(Guid DrawId, string DisciplineContributionSha256, string Commitment, string CommitmentSha256, Actor By);
/// <summary>/2: the first of the two entries a value needs; the value itself is not disclosed until the second agrees (keyed digest only).</summary>
public sealed record RandomnessEntered(Guid DrawId, string Source, string ValueDigest, string ActorField, Actor By);
/// <summary>/2: a second person entered the same value: it is recorded, once and for good.</summary>
public sealed record RandomnessConfirmed(Guid DrawId, string Source, string Raw, string Canonical, string FirstActorField, Actor FirstBy, Actor By);
/// <summary>/2: a contribution's 32 bytes, revealed (the discipline office's by a 纪检, the department's by the draw itself).</summary>
public sealed record ContributionRevealed(Guid DrawId, string Party, string Contribution, Actor By);
/// <summary>/2: an approver asks to void a draw whose randomness exists; it takes effect only with a 纪检's countersignature.</summary>
public sealed record DrawVoidRequested(Guid DrawId, string Reason, IReadOnlyList<PoolCorrection> Corrections, string ActorField, Actor By);
/// <summary>/2: one act of the record, chained: <see cref="RecordSha256"/> is the record's hash after it, published at once.</summary>
public sealed record DrawActRecorded(Guid DrawId, int Number, string Act, string RecordSha256, string ActorField, Actor By);
