namespace Supervision.Domain.Draws;

public enum DrawStatus
{
    /// <summary>Committed: pools frozen, commitment published, waiting for the witnessed randomness.</summary>
    Scheduled,
    Drawn,
    Voided,
    /// <summary>/2: pools frozen and the randomness plan declared; waiting for the discipline office's contribution hash to finalise the commitment.</summary>
    Proposed,
}

/// <param name="Sources">/2: the randomness plan, each source with the moment after which its value exists.</param>
/// <param name="ReplacesDrawId">/2: a redo of this voided draw, from the same pools.</param>
public sealed record ScheduleDraw(Guid PlanId, string TaskNumber, int? LoadCap, int? Batches,
    IReadOnlyList<RandomnessSourceDeclaration>? Sources = null, Guid? ReplacesDrawId = null);
public sealed record PerformDraw(long Version);
/// <param name="ResultsDisposition">Required once results are entered on the target's case: what becomes of them (<see cref="Inspections.RecusalAfterResults"/>).</param>
public sealed record RecuseInspector(Guid TargetId, Guid InspectorId, string Reason, long Version, string? ResultsDisposition = null);
public sealed record ReplaceTarget(Guid TargetId, string Reason, long Version);
public sealed record VoidDraw(string Reason, long Version);

/// <summary>The pools are frozen and the commitment fixed; its hash is public before any randomness exists.</summary>
/// <summary>
/// /1: the pools are frozen and the commitment fixed. /2: the pools are frozen and the randomness plan declared; <see cref="Commitment"/> is
/// the commitment without the discipline office's line, and <see cref="CommitmentSha256"/> is empty until <see cref="DrawCommitted"/>.
/// </summary>
public sealed record DrawScheduled(Guid DrawId, Guid PlanId, Guid DepartmentId, string PlanNumber, string TaskNumber, int Year, IReadOnlyList<Guid> MatterIds,
    string Commitment, string CommitmentSha256, long PoolAsOfSequence, int PoolSize, int InspectorPoolSize, int Excluded, Actor By,
    string? Algorithm = null, IReadOnlyList<RandomnessSourceDeclaration>? Sources = null, string? RegionCode = null, string? RecordPublic = null,
    DateOnly? WindowFrom = null, Guid? ReplacesDrawId = null, bool PartialTeams = false);
public sealed record RandomnessRecorded(Guid DrawId, string Source, string Raw, string Canonical, string WitnessedBy, Actor By);
/// <summary>The server secret is revealed and the targets drawn; <see cref="Targets"/> and <see cref="Batches"/> are the canonical output files.</summary>
public sealed record TargetsDrawn(Guid DrawId, string ServerSecret, string Targets, string Batches, Actor By);
public sealed record InspectorsAssigned(Guid DrawId, string Teams, Actor By);
/// <summary>回避: the inspector leaves the target's team; the reason is recorded and the approver is the actor.</summary>
public sealed record InspectorRecused(Guid DrawId, Guid TargetId, Guid InspectorId, string Reason, Actor By);
public sealed record TargetWithdrawnFromDraw(Guid DrawId, Guid TargetId, string Reason, Actor By);
/// <summary>The computed replacement: the new lines of the replacements output file.</summary>
public sealed record ReplacementDrawn(Guid DrawId, int Sequence, IReadOnlyList<string> Lines, Actor By);
/// <param name="CountersignedBy">/2: the discipline inspector who countersigned a void after randomness existed.</param>
/// <param name="Corrections">/2: targets or inspectors the redo leaves out, for the void's reason.</param>
public sealed record DrawVoided(Guid DrawId, string Reason, Actor By, Actor? CountersignedBy = null, IReadOnlyList<PoolCorrection>? Corrections = null,
    bool AfterRandomness = false);
/// <summary>Inspection cases were opened from the draw; on the draw's stream so that a concurrent recusal or replacement conflicts with it.</summary>
public sealed record CasesOpened(Guid DrawId, IReadOnlyList<Guid> CaseIds, Actor By);

public sealed record Draw(
    Guid Id, Guid PlanId, Guid DepartmentId, string PlanNumber, string TaskNumber, int Year, IReadOnlyList<Guid> MatterIds, DrawStatus Status,
    string Commitment, string CommitmentSha256, long PoolAsOfSequence, int PoolSize, int InspectorPoolSize,
    IReadOnlyList<RandomnessSource> Randomness, IReadOnlyList<ReplacementRequest> Replacements, DrawOutputs? Outputs, string? VoidReason) : IFolded<Draw>
{
    public long Version { get; init; }

    public Draw WithVersion(long version) => this with { Version = version };

    public static Draw? StateAfter(Draw? state, object @event) => DrawRules.Evolve(state, @event);

    /// <summary>Inspection cases exist for this draw: it stands, and can no longer be voided.</summary>
    public bool CasesOpen { get; init; }

    public string Algorithm { get; init; } = DrawEngine.Algorithm;
    public bool IsV2 => Algorithm == DrawV2.Algorithm;
    /// <summary>/2: the declared sources of randomness.</summary>
    public IReadOnlyList<RandomnessSourceDeclaration> Sources { get; init; } = [];
    public string? RegionCode { get; init; }
    public string RecordPublic { get; init; } = DrawV2.RecordPublicImmediately;
    public DateOnly? WindowFrom { get; init; }
    public Guid? ReplacesDrawId { get; init; }
    public bool PartialTeams { get; init; }
    /// <summary>/2: first entries of values waiting for a second person's agreeing entry.</summary>
    public IReadOnlyList<RandomnessEntry> PendingEntries { get; init; } = [];
    public string? DisciplineContribution { get; init; }
    public VoidRequest? PendingVoid { get; init; }
    public IReadOnlyList<PoolCorrection> Corrections { get; init; } = [];
    public bool VoidedAfterRandomness { get; init; }
    /// <summary>/2: every act after the proposal, chained into <see cref="RecordSha256"/> (docs/draw-algorithm.md, section 9).</summary>
    public IReadOnlyList<string> Acts { get; init; } = [];
    public string RecordSha256 { get; init; } = "";
    /// <summary>/2: the person behind each act's actor field (staff record only).</summary>
    public IReadOnlyDictionary<string, ActorIdentity> Actors { get; init; } = new Dictionary<string, ActorIdentity>();

    /// <summary>The selected targets now: the initial selection with target replacements applied.</summary>
    public IReadOnlyList<Guid> CurrentTargets()
    {
        if (Outputs is null) return [];
        var current = Canonical.Lines(Outputs.Targets).Select(l => Guid.Parse(l.Split('|')[3])).ToList();
        foreach (var line in Canonical.Lines(Outputs.Replacements).Select(l => l.Split('|')).Where(f => f[2] == "target").OrderBy(f => f[1], StringComparer.Ordinal))
        {
            current.Remove(Guid.Parse(line[3]));
            if (line[4] != "-") current.Add(Guid.Parse(line[4]));
        }
        return current;
    }
}

public static partial class DrawRules
{
    public const int MaxReasonLength = 1000;

    /// <summary>Only the plan's department acts on its draws; discipline-inspection staff (纪检) may witness any department's draw.</summary>
    public static Decision ForDepartment(this Decision decision, Draw draw, Actor by) =>
        by.DepartmentId == draw.DepartmentId || by.Role == Kernel.Roles.DisciplineInspector
            ? decision
            : Decision.Reject(DomainError.Forbidden("departmentId", "draw.department.not-yours", $"Draw {draw.Id} belongs to another department's plan."));

    public static Decision Decide(RecuseInspector command, Draw draw, DrawFiles files, Actor by) =>
        Replace(draw, files, new ReplacementRequest("inspector", command.TargetId, command.InspectorId, command.Reason?.Trim() ?? ""),
            command.Reason, new InspectorRecused(draw.Id, command.TargetId, command.InspectorId, command.Reason?.Trim() ?? "", by), by);

    public static Decision Decide(ReplaceTarget command, Draw draw, DrawFiles files, Actor by) =>
        Replace(draw, files, new ReplacementRequest("target", command.TargetId, null, command.Reason?.Trim() ?? ""),
            command.Reason, new TargetWithdrawnFromDraw(draw.Id, command.TargetId, command.Reason?.Trim() ?? "", by), by);

    /// <summary>The replacement is the next in the committed ranking: recomputed from the record, never chosen.</summary>
    private static Decision Replace(Draw draw, DrawFiles files, ReplacementRequest request, string? reason, object requested, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (draw.Status != DrawStatus.Drawn || draw.Outputs is null)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"Replacements follow a completed draw; this draw is {draw.Status}."));
        var requests = draw.Replacements.Append(request).ToList();
        DrawOutputs outputs;
        try
        {
            outputs = DrawEngine.Run(files, DrawEngine.DeriveKey(draw.Commitment, draw.Randomness), requests);
        }
        catch (DrawException e)
        {
            return Decision.Reject(DomainError.Invalid(request.Kind == "inspector" ? "inspectorId" : "targetId", "draw.replacement.invalid", e.Message));
        }
        var sequence = requests.Count;
        var lines = Canonical.Lines(outputs.Replacements).Where(l => l.StartsWith($"R|{sequence:D4}|", StringComparison.Ordinal)).ToList();
        return Decision.Accept(requested, new ReplacementDrawn(draw.Id, sequence, lines, by));
    }

    /// <summary>Once inspection cases exist the draw has been acted on: it can no longer be voided (and re-drawn).</summary>
    public static Decision Decide(VoidDraw command, Draw draw, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (draw.Status == DrawStatus.Voided) return Decision.Accept();
        if (draw.CasesOpen)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.cases-open", "Inspection cases are open for this draw: it stands, and changes go through recusal or replacement."));
        return Decision.Accept(new DrawVoided(draw.Id, command.Reason.Trim(), by));
    }

    public static Draw? Evolve(Draw? draw, object @event) => @event switch
    {
        DrawScheduled e => new Draw(e.DrawId, e.PlanId, e.DepartmentId, e.PlanNumber, e.TaskNumber, e.Year, e.MatterIds,
            e.Algorithm == DrawV2.Algorithm ? DrawStatus.Proposed : DrawStatus.Scheduled, e.Commitment, e.CommitmentSha256,
            e.PoolAsOfSequence, e.PoolSize, e.InspectorPoolSize, [], [], null, null)
        {
            Algorithm = e.Algorithm ?? DrawEngine.Algorithm,
            Sources = e.Sources ?? [],
            RegionCode = e.RegionCode,
            RecordPublic = e.RecordPublic ?? DrawV2.RecordPublicImmediately,
            WindowFrom = e.WindowFrom,
            ReplacesDrawId = e.ReplacesDrawId,
            PartialTeams = e.PartialTeams,
        },
        DrawCommitted e when draw is not null => draw with { Status = DrawStatus.Scheduled, Commitment = e.Commitment, CommitmentSha256 = e.CommitmentSha256, RecordSha256 = e.CommitmentSha256 },
        RandomnessEntered e when draw is not null => draw with { PendingEntries = [.. draw.PendingEntries.Where(p => p.Source != e.Source), new RandomnessEntry(e.Source, e.ValueDigest, e.ActorField, e.By)] },
        RandomnessConfirmed e when draw is not null => draw with
        {
            PendingEntries = draw.PendingEntries.Where(p => p.Source != e.Source).ToList(),
            Randomness = [.. draw.Randomness, new RandomnessSource(e.Source, e.Raw, e.Canonical)],
        },
        ContributionRevealed { Party: DrawV2.DisciplineParty } e when draw is not null => draw with { DisciplineContribution = e.Contribution },
        DrawVoidRequested e when draw is not null => draw with { PendingVoid = new VoidRequest(e.Reason, e.Corrections, e.ActorField, e.By) },
        DrawActRecorded e when draw is not null => draw with
        {
            Acts = [.. draw.Acts, e.Act],
            RecordSha256 = e.RecordSha256,
            Actors = draw.Actors.ContainsKey(e.ActorField) ? draw.Actors : new Dictionary<string, ActorIdentity>(draw.Actors) { [e.ActorField] = new ActorIdentity(e.By.UserId, e.By.DisplayName) },
        },
        TargetsDrawn e when draw is { IsV2: true } => draw with { Status = DrawStatus.Drawn, Outputs = new DrawOutputs(e.Targets, "", e.Batches, "") },
        RandomnessRecorded e when draw is not null => draw with { Randomness = [.. draw.Randomness, new RandomnessSource(e.Source, e.Raw, e.Canonical)] },
        TargetsDrawn e when draw is not null => draw with
        {
            Status = DrawStatus.Drawn,
            Randomness = [.. draw.Randomness, new RandomnessSource("server-secret", e.ServerSecret, DrawEngine.CanonicalRandomness("server-secret", e.ServerSecret))],
            Outputs = new DrawOutputs(e.Targets, "", e.Batches, ""),
        },
        InspectorsAssigned e when draw is not null => draw with { Outputs = draw.Outputs! with { Teams = e.Teams } },
        InspectorRecused e when draw is not null => draw with { Replacements = [.. draw.Replacements, new ReplacementRequest("inspector", e.TargetId, e.InspectorId, e.Reason)] },
        TargetWithdrawnFromDraw e when draw is not null => draw with { Replacements = [.. draw.Replacements, new ReplacementRequest("target", e.TargetId, null, e.Reason)] },
        ReplacementDrawn e when draw is not null => draw with
        {
            Outputs = draw.Outputs! with { Replacements = Canonical.File(Canonical.Lines(draw.Outputs.Replacements).Concat(e.Lines)) },
        },
        DrawVoided e when draw is not null => draw with
        {
            Status = DrawStatus.Voided,
            VoidReason = e.Reason,
            PendingVoid = null,
            Corrections = e.Corrections ?? [],
            VoidedAfterRandomness = e.AfterRandomness,
        },
        CasesOpened when draw is not null => draw with { CasesOpen = true },
        _ => draw,
    };

    /// <summary>The complete, self-contained record (docs/draw-algorithm.md, section 9); available once drawn.</summary>
    public static DrawRecord Record(Draw draw, DrawFiles files) =>
        new(DrawEngine.Algorithm, draw.Id, files, draw.Commitment, draw.CommitmentSha256, draw.Randomness, draw.Replacements,
            draw.Outputs ?? new DrawOutputs("", "", "", ""));
}
