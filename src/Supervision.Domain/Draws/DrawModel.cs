namespace Supervision.Domain.Draws;

/// <summary>A ratio in basis points of a percent's hundredth: 2% is 200, 2.5% is 250 (integers only in the draw).</summary>
public sealed record ClassBasisPoints(string CreditClass, int BasisPoints);

/// <summary>Exactly one of: a ratio, a fixed count, or a ratio per credit class (stratum = class).</summary>
public sealed record DrawSampling(int? RatioBasisPoints, int? FixedCount, IReadOnlyList<ClassBasisPoints>? ClassBasisPoints)
{
    public bool ByCreditClass => ClassBasisPoints is { Count: > 0 };
}

/// <summary>For a joint inspection, how many members each participating department supplies.</summary>
public sealed record TeamSlot(Guid DepartmentId, int Count);

/// <summary>Everything about a draw that is fixed before any randomness exists, besides the pools.</summary>
/// <param name="LoadCap">The most targets one inspector is assigned in this draw; 0 for no cap.</param>
/// <param name="Batches">For a key matter with a high ratio: the selected targets are split into this many batches whose order is drawn; 1 for none.</param>
/// <param name="TeamComposition">For a joint inspection, the slots in position order: the lead department first.</param>
/// <param name="PartialTeams">Whether the task accepts a team with an empty slot (/2); otherwise such a draw is refused.</param>
/// <param name="RecordPublic">When the public record may be read (/2): "immediately" or "inspections-start".</param>
/// <param name="ReplacesDrawId">For a redo (/2): the voided draw whose pools this draw reuses.</param>
public sealed record DrawSetup(
    Guid DrawId, string PlanNumber, string TaskNumber, long PoolAsOfSequence, DrawSampling Sampling, int InspectorsPerTarget,
    IReadOnlyList<TeamSlot> TeamComposition, int LoadCap, int Batches, DateOnly WindowFrom, DateOnly WindowTo,
    bool PartialTeams = false, string RecordPublic = "immediately", Guid? ReplacesDrawId = null);

/// <summary>
/// A declared source of public randomness (/2, section 2.7): a witnessed ceremony or a public future value, named precisely,
/// with the moment before which no value is accepted.
/// </summary>
/// <param name="Kind">"ceremony" or "beacon".</param>
public sealed record RandomnessSourceDeclaration(string Name, string Kind, DateTimeOffset NotBefore, string Description);

/// <param name="Stratum">The credit class for a draw by credit class ("-" for a target without one), otherwise "*".</param>
public sealed record PoolTarget(Guid Id, string Identifier, string Stratum);

/// <summary>A candidate left out of the pool, with why (e.g. deregistered, revoked, drawn-this-year, certificate-expired).</summary>
/// <param name="Kind">"target" or "inspector".</param>
public sealed record PoolExclusion(string Kind, Guid Id, string Label, string Reason);

public sealed record PoolInspector(Guid Id, Guid DepartmentId, bool Expert, string StaffCode);

public sealed record PoolConflict(Guid InspectorId, Guid TargetId);

/// <summary>The canonical files of a draw; their hashes are in the commitment.</summary>
/// <param name="Sources">The randomness plan (/2 only; absent from /1 records).</param>
public sealed record DrawFiles(string Parameters, string Targets, string Exclusions, string Inspectors, string Conflicts, string Quotas,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Sources = null);

/// <summary>One source of randomness as recorded: its kind, the raw value as received, and its canonical form.</summary>
/// <param name="Source">"witness", "server-secret", or a public beacon such as "drand" or "nist-beacon".</param>
public sealed record RandomnessSource(string Source, string Raw, string Canonical);

/// <summary>
/// A change after the draw, in the order it was recorded: an inspector recused (回避) from a target, or a target replaced
/// (e.g. found 注销 or unreachable). The replacement is computed, never chosen.
/// </summary>
/// <param name="Kind">"inspector" or "target".</param>
public sealed record ReplacementRequest(string Kind, Guid TargetId, Guid? InspectorId, string Reason);

/// <summary>What the draw produced, as canonical files: selected targets with rank and key, teams, batches, replacements.</summary>
public sealed record DrawOutputs(string Targets, string Teams, string Batches, string Replacements);

/// <summary>
/// Everything needed to replay a draw with nothing else: the algorithm version, the canonical files, the commitment,
/// the randomness, the replacement requests and the outputs. docs/draw-algorithm.md specifies every byte.
/// </summary>
public sealed record DrawRecord(
    string Algorithm, Guid DrawId, DrawFiles Files, string Commitment, string CommitmentSha256,
    IReadOnlyList<RandomnessSource> Randomness, IReadOnlyList<ReplacementRequest> Replacements, DrawOutputs Outputs);

/// <summary>The verdict on a record: a match, or the first difference, named.</summary>
public sealed record Verification(bool Matches, string? Part, int? Line, string? Expected, string? Actual, string Message)
{
    public static Verification Match() => new(true, null, null, null, null, "The record replays to the same outputs.");
    /// <summary>The message always begins with the part, so a verdict read on its own names what differs.</summary>
    public static Verification Differs(string part, int? line, string? expected, string? actual, string message) =>
        new(false, part, line, expected, actual, message.StartsWith(part, StringComparison.Ordinal) ? message : $"{part}: {message}");
}

/// <summary>Who an act's actor field stands for; in the staff record only, never in the public one.</summary>
public sealed record ActorIdentity(string UserId, string DisplayName);

/// <summary>
/// A record of algorithm supervision-draw/2 (docs/draw-algorithm.md, section 10): the files, the commitment, every act
/// after it as a chained line, the record hash, and the outputs. <see cref="Actors"/> is only in the staff form.
/// </summary>
public sealed record DrawRecordV2(
    string Algorithm, Guid DrawId, DrawFiles Files, string Commitment, string CommitmentSha256, IReadOnlyList<string> Acts, string RecordSha256,
    DrawOutputs Outputs,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, ActorIdentity>? Actors = null)
{
    public DrawRecordV2 Public() => this with { Actors = null };
}
