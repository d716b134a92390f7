namespace Supervision.Domain.Draws;

public static partial class DrawRules
{
    /// <summary>
    /// Who may finalise the commitment, enter randomness, reveal the discipline contribution and countersign a void: a
    /// discipline inspector (纪检) with a department, in the draw's region or one containing it ("the 纪检 of the department
    /// or a level above it"). A token without a department never qualifies.
    /// </summary>
    public static DomainError? DisciplineScope(Draw draw, DrawActor actor)
    {
        if (actor.By.Role != Roles.DisciplineInspector)
            return DomainError.Forbidden("role", "draw.discipline.role", "Only discipline-inspection staff (纪检) do this.");
        if (actor.By.DepartmentId is null || actor.RegionCode is null)
            return DomainError.Forbidden("departmentId", "draw.discipline.no-department", "A token without a department cannot act on a draw.");
        if (draw.RegionCode is null || !DepartmentRules.IsSameOrAncestorRegion(actor.RegionCode, draw.RegionCode))
            return DomainError.Forbidden("departmentId", "draw.discipline.out-of-scope", $"Your department ({actor.RegionCode}) does not supervise the draw's region ({draw.RegionCode}).");
        return null;
    }

    /// <summary>The department's own staff in the given role; nobody else.</summary>
    private static DomainError? OwnDepartment(Draw draw, DrawActor actor) =>
        actor.By.DepartmentId == draw.DepartmentId ? null
            : DomainError.Forbidden("departmentId", "draw.department.not-yours", $"Draw {draw.Id} belongs to another department's plan.");

    private static Decision NotV2(Draw draw) =>
        Decision.Reject(DomainError.Conflict("algorithm", "draw.algorithm.retired",
            $"Draw {draw.Id} is of {draw.Algorithm}, whose randomness one operator could steer; schedule a new draw ({DrawV2.Algorithm}) instead."));

    /// <summary>The act line, numbered after the draw's acts and chained to its record hash.</summary>
    private static DrawActRecorded ActFor(Draw draw, IReadOnlyList<DrawActRecorded> earlier, DateTimeOffset now, DrawActor actor, string kind, params string[] fields)
    {
        var number = draw.Acts.Count + earlier.Count + 1;
        var previous = earlier.Count > 0 ? earlier[^1].RecordSha256 : draw.RecordSha256;
        var act = DrawV2.Act(number, now, actor.Field, kind, fields);
        return new DrawActRecorded(draw.Id, number, act, DrawV2.Chain(previous, act), actor.Field, actor.By);
    }

    public static Decision Decide(CommitDraw command, Draw draw, DateTimeOffset now, DrawActor actor)
    {
        if (DisciplineScope(draw, actor) is { } scope) return Decision.Reject(scope);
        if (draw.Status != DrawStatus.Proposed)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"Only a proposed draw is committed; this draw is {draw.Status}."));
        var hash = command.DisciplineContributionSha256?.Trim() ?? "";
        if (!DrawV2.IsContribution(hash))
            return Decision.Reject(DomainError.Invalid("disciplineContributionSha256", "contribution.hash.format",
                "Give the SHA-256 (64 lowercase hex) of 32 random bytes you generated and keep (e.g. openssl rand -hex 32); never the bytes themselves."));
        if (draw.Sources.FirstOrDefault(s => s.NotBefore <= now) is { } past)
            return Decision.Reject(DomainError.Conflict("sources", "draw.sources.not-future",
                $"Source '{past.Name}' is declared available at {DrawV2.Instant(past.NotBefore)}, which is not after now: nobody could tell it was unknown at the commitment. Propose the draw again with future sources."));
        var commitment = DrawV2.Commitment(draw.Commitment, hash);
        var committed = new DrawCommitted(draw.Id, hash, commitment, Canonical.Sha256Hex(commitment), actor.By);
        var act = ActFor(draw with { RecordSha256 = committed.CommitmentSha256 }, [], now, actor, "commit");
        return Decision.Accept(committed, act);
    }

    /// <summary>
    /// One value per declared source, not before its moment, entered by two different people who agree (docs/draw-algorithm.md, section 1 step 3):
    /// any other source, a second value, an early value, one person twice or a disagreement is refused with its rule.
    /// </summary>
    /// <param name="valueDigest">A keyed digest of a canonical value for this draw and source (the key is not the caller's).</param>
    public static Decision Decide(EnterRandomness command, Draw draw, DateTimeOffset now, DrawActor actor, Func<string, string> valueDigest)
    {
        if (!draw.IsV2) return NotV2(draw);
        if (DisciplineScope(draw, actor) is { } scope) return Decision.Reject(scope);
        var name = command.Source?.Trim() ?? "";
        var canonical = DrawV2.CanonicalValue(command.Value ?? "");
        if (canonical.Length is 0 or > DrawV2.MaxValueLength)
            return Decision.Reject(DomainError.Invalid("value", "randomness.value", $"A value is 1 to {DrawV2.MaxValueLength} characters after white space is trimmed."));
        if (draw.Status != DrawStatus.Scheduled)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"Randomness is recorded only between the commitment and the draw; this draw is {draw.Status}."));
        if (draw.PendingVoid is not null)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.pending", "A void of this draw waits for its countersignature."));
        if (draw.Sources.FirstOrDefault(s => s.Name == name) is not { } source)
            return Decision.Reject(DomainError.Conflict("source", "randomness.source.undeclared",
                $"'{name}' is not a source this draw declared ({string.Join(", ", draw.Sources.Select(s => s.Name))}); no other randomness is accepted."));
        if (draw.Randomness.Any(r => r.Source == name))
            return Decision.Reject(DomainError.Conflict("source", "randomness.source.recorded", $"'{name}' already has its value; a source has exactly one."));
        if (now < source.NotBefore)
            return Decision.Reject(DomainError.Conflict("source", "randomness.source.too-early",
                $"'{name}' has no value before {DrawV2.Instant(source.NotBefore)} (declared in the commitment)."));
        var digest = valueDigest($"{draw.Id:D}|{name}|{canonical}");
        if (draw.PendingEntries.FirstOrDefault(p => p.Source == name) is not { } first)
            return Decision.Accept(new RandomnessEntered(draw.Id, name, digest, actor.Field, actor.By));
        if (Identity.Same(first.By.UserId, actor.By.UserId))
            return Decision.Reject(DomainError.Conflict("value", "randomness.second-entry.same-person", "The second entry of a value is made by another person."));
        if (first.ValueDigest != digest)
            return Decision.Reject(DomainError.Conflict("value", "randomness.entries.disagree",
                $"This entry of '{name}' differs from the first one (which is not shown); read the value at its source again. Nothing is recorded."));
        var confirmed = new RandomnessConfirmed(draw.Id, name, command.Value!, canonical, first.ActorField, first.By, actor.By);
        return Decision.Accept(confirmed, ActFor(draw, [], now, actor, "randomness", name, canonical, first.ActorField));
    }

    public static Decision Decide(RevealContribution command, Draw draw, DateTimeOffset now, DrawActor actor)
    {
        if (!draw.IsV2) return NotV2(draw);
        if (DisciplineScope(draw, actor) is { } scope) return Decision.Reject(scope);
        if (draw.Status != DrawStatus.Scheduled)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"A contribution is revealed only before the draw; this draw is {draw.Status}."));
        if (draw.DisciplineContribution is not null)
            return Decision.Reject(DomainError.Conflict("contribution", "contribution.revealed", "The discipline contribution is already revealed."));
        if (draw.Sources.Where(s => draw.Randomness.All(r => r.Source != s.Name)).Select(s => s.Name).ToList() is { Count: > 0 } missing)
            return Decision.Reject(DomainError.Conflict("contribution", "contribution.too-early",
                $"Reveal the contribution only after every declared value is recorded; still missing: {string.Join(", ", missing)}."));
        var hex = command.Contribution?.Trim() ?? "";
        var committed = Canonical.Lines(draw.Commitment).Last()["contribution|discipline|".Length..];
        if (!DrawV2.IsContribution(hex) || DrawV2.ContributionSha256(hex) != committed)
            return Decision.Reject(DomainError.Conflict("contribution", "contribution.mismatch", "These bytes do not hash to the contribution committed for this draw."));
        return Decision.Accept(new ContributionRevealed(draw.Id, DrawV2.DisciplineParty, hex, actor.By),
            ActFor(draw, [], now, actor, "contribution", DrawV2.DisciplineParty, hex));
    }

    /// <summary>
    /// The draw (/2): the department's contribution (unsealed by the caller) is revealed and the outcome computed from the frozen
    /// files. A draw that would leave a required slot empty is refused, naming the targets and slots, unless the task allows partial teams.
    /// </summary>
    /// <param name="targetsUtf8">The targets file as its bytes when it is stored apart (files.Targets is then empty and not read). An array,
    /// not a <c>ReadOnlyMemory&lt;byte&gt;?</c>: a null array converts to an empty memory that is "present", and would draw from nothing.</param>
    public static Decision DecideV2(PerformDraw command, Draw draw, DrawFiles files, string departmentContribution, DateTimeOffset now, DrawActor actor,
        byte[]? targetsUtf8 = null)
    {
        if (!draw.IsV2)
            return Decision.Reject(DomainError.Conflict("algorithm", "draw.algorithm.retired",
                $"Draw {draw.Id} is of {draw.Algorithm}, whose randomness one operator could steer; void it and schedule a {DrawV2.Algorithm} draw."));
        if (OwnDepartment(draw, actor) is { } forbidden) return Decision.Reject(forbidden);
        if (draw.Status != DrawStatus.Scheduled)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"This draw is {draw.Status}; it is drawn once, after its commitment."));
        if (draw.PendingVoid is not null)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.pending", "A void of this draw waits for its countersignature."));
        if (draw.Sources.Any(s => draw.Randomness.All(r => r.Source != s.Name)) || draw.DisciplineContribution is null)
            return Decision.Reject(DomainError.Conflict("randomness", "draw.randomness.missing",
                "Every declared value must be recorded and the discipline contribution revealed before the draw."));
        var outputs = targetsUtf8 is { } bytes
            ? DrawV2.Draw(files, bytes, draw.Commitment, draw.Randomness.Select(r => (r.Source, r.Canonical)), departmentContribution, draw.DisciplineContribution, [])
            : DrawV2.Draw(files, draw.Commitment, draw.Randomness.Select(r => (r.Source, r.Canonical)), departmentContribution, draw.DisciplineContribution, []);
        if (!draw.PartialTeams && DrawV2.EmptySlots(outputs.Teams) is { Count: > 0 } empty)
            return Decision.Reject(DomainError.Conflict("teams", "draw.team.short",
                $"The pools cannot fill every team ({empty.Count} slot(s) short: {string.Join("; ", empty.Take(20))}{(empty.Count > 20 ? "; …" : "")}). " +
                "The task does not allow partial teams: void the draw (with a 纪检 countersignature) and redo it with corrected pools."));
        var reveal = ActFor(draw, [], now, actor, "contribution", DrawV2.DepartmentParty, departmentContribution);
        var drawAct = ActFor(draw, [reveal], now, actor, "draw",
            Canonical.Sha256Hex(outputs.Targets), Canonical.Sha256Hex(outputs.Teams), Canonical.Sha256Hex(outputs.Batches));
        return Decision.Accept(
            new ContributionRevealed(draw.Id, DrawV2.DepartmentParty, departmentContribution, actor.By), reveal,
            new TargetsDrawn(draw.Id, departmentContribution, outputs.Targets, outputs.Batches, actor.By),
            new InspectorsAssigned(draw.Id, outputs.Teams, actor.By), drawAct);
    }

    /// <summary>A recusal or replacement on a /2 draw: computed from the committed ranking, and chained as an act with its reason.</summary>
    private static Decision ReplaceV2(Draw draw, DrawFiles files, ReplacementRequest request, object requested, DateTimeOffset now, DrawActor actor,
        byte[]? targetsUtf8)
    {
        if (OwnDepartment(draw, actor) is { } forbidden) return Decision.Reject(forbidden);
        if (draw.Status != DrawStatus.Drawn || draw.Outputs is null)
            return Decision.Reject(DomainError.Conflict("status", "draw.status", $"Replacements follow a completed draw; this draw is {draw.Status}."));
        var contributions = Canonical.Lines(string.Join('\n', draw.Acts.Select(a => a.Split('|')).Where(f => f[4] == "contribution").Select(f => f[5] + "|" + f[6])) + "\n")
            .Select(l => l.Split('|')).ToDictionary(f => f[0], f => f[1]);
        var requests = draw.Replacements.Append(request).ToList();
        DrawOutputs outputs;
        try
        {
            outputs = targetsUtf8 is { } bytes
                ? DrawV2.Draw(files, bytes, draw.Commitment, draw.Randomness.Select(r => (r.Source, r.Canonical)), contributions[DrawV2.DepartmentParty],
                    contributions[DrawV2.DisciplineParty], requests)
                : DrawV2.Draw(files, draw.Commitment, draw.Randomness.Select(r => (r.Source, r.Canonical)), contributions[DrawV2.DepartmentParty],
                    contributions[DrawV2.DisciplineParty], requests);
        }
        catch (DrawException e)
        {
            return Decision.Reject(DomainError.Conflict(request.Kind == "inspector" ? "inspectorId" : "targetId", "draw.replacement.invalid", e.Message));
        }
        var sequence = requests.Count;
        var lines = Canonical.Lines(outputs.Replacements).Where(l => l.StartsWith($"R|{sequence:D4}|", StringComparison.Ordinal)).ToList();
        var act = request.Kind == "inspector"
            ? ActFor(draw, [], now, actor, "inspector", Canonical.Id(request.TargetId), Canonical.Id(request.InspectorId!.Value), request.Reason)
            : ActFor(draw, [], now, actor, "target", Canonical.Id(request.TargetId), request.Reason);
        return Decision.Accept(requested, new ReplacementDrawn(draw.Id, sequence, lines, actor.By), act);
    }

    public static Decision DecideV2(RecuseInspector command, Draw draw, DrawFiles files, DateTimeOffset now, DrawActor actor, byte[]? targetsUtf8 = null)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        var reason = Text.Normalized(command.Reason);
        return ReplaceV2(draw, files, new ReplacementRequest("inspector", command.TargetId, command.InspectorId, reason),
            new InspectorRecused(draw.Id, command.TargetId, command.InspectorId, reason, actor.By), now, actor, targetsUtf8);
    }

    public static Decision DecideV2(ReplaceTarget command, Draw draw, DrawFiles files, DateTimeOffset now, DrawActor actor, byte[]? targetsUtf8 = null)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        var reason = Text.Normalized(command.Reason);
        return ReplaceV2(draw, files, new ReplacementRequest("target", command.TargetId, null, reason),
            new TargetWithdrawnFromDraw(draw.Id, command.TargetId, reason, actor.By), now, actor, targetsUtf8);
    }

    /// <summary>Randomness exists, or could: a value was entered or recorded, the draw was made, or a declared moment has passed.</summary>
    public static bool RandomnessMayExist(Draw draw, DateTimeOffset now) =>
        draw.Randomness.Count > 0 || draw.PendingEntries.Count > 0 || draw.Outputs is not null || draw.Sources.Any(s => s.NotBefore <= now);

    /// <summary>
    /// docs/draw-algorithm.md, section 11: before any randomness can exist an approver voids with a reason; after that the void is only
    /// requested, and takes effect with a 纪检's countersignature. Cases opened from the draw make it stand.
    /// </summary>
    public static Decision DecideV2(RequestVoid command, Draw draw, IReadOnlySet<Guid> poolTargets, IReadOnlySet<Guid> poolInspectors, DateTimeOffset now, DrawActor actor)
    {
        if (OwnDepartment(draw, actor) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        var corrections = (command.Corrections ?? []).Distinct().ToList();
        foreach (var c in corrections)
        {
            if (!(c.Kind == "target" ? poolTargets.Contains(c.Id) : c.Kind == "inspector" && poolInspectors.Contains(c.Id)))
                errors.Add(DomainError.Invalid("corrections", "draw.void.correction.unknown", $"{c.Kind} {c.Id} is not in this draw's pools."));
        }
        if (corrections.Count > 1000) errors.Add(DomainError.Invalid("corrections", "draw.void.corrections.too-many", "At most 1000 corrections."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (draw.Status == DrawStatus.Voided) return Decision.Accept();
        if (draw.CasesOpen)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.cases-open", "Inspection cases are open for this draw: it stands, and changes go through recusal or replacement."));
        if (draw.PendingVoid is not null)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.pending", "A void of this draw already waits for its countersignature."));
        var reason = Text.Normalized(command.Reason);
        if (RandomnessMayExist(draw, now))
            return Decision.Accept(new DrawVoidRequested(draw.Id, reason, corrections, actor.Field, actor.By));
        var voided = new DrawVoided(draw.Id, reason, actor.By, null, corrections, AfterRandomness: false);
        return draw.Status == DrawStatus.Proposed
            ? Decision.Accept(voided)   // nothing was committed yet: there is no record to chain into
            : Decision.Accept(voided, ActFor(draw, [], now, actor, "void", "-", reason));
    }

    /// <param name="departmentContribution">The unsealed department contribution: revealed with a void that stops a draw whose discipline
    /// contribution is already out, so the outcome that was stopped stays computable by anyone (section 11).</param>
    public static Decision Decide(CountersignVoid command, Draw draw, DateTimeOffset now, DrawActor actor, string? departmentContribution)
    {
        if (DisciplineScope(draw, actor) is { } scope) return Decision.Reject(scope);
        if (draw.PendingVoid is not { } request)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.none-pending", "No void of this draw waits for a countersignature."));
        if (Identity.Same(request.By.UserId, actor.By.UserId))
            return Decision.Reject(DomainError.Conflict("by", "draw.void.same-person", "The countersignature is another person's."));
        if (draw.CasesOpen)
            return Decision.Reject(DomainError.Conflict("status", "draw.void.cases-open", "Inspection cases are open for this draw: it stands."));
        var voided = new DrawVoided(draw.Id, request.Reason, request.By, actor.By, request.Corrections, AfterRandomness: true);
        var events = new List<object> { voided };
        var (number, previous) = (draw.Acts.Count + 1, draw.RecordSha256);
        if (draw.DisciplineContribution is not null && draw.Outputs is null && departmentContribution is not null)
        {
            var reveal = DrawV2.Act(number, now, actor.Field, "contribution", DrawV2.DepartmentParty, departmentContribution);
            var revealed = new DrawActRecorded(draw.Id, number, reveal, DrawV2.Chain(previous, reveal), actor.Field, actor.By);
            events.Add(new ContributionRevealed(draw.Id, DrawV2.DepartmentParty, departmentContribution, actor.By));
            events.Add(revealed);
            (number, previous) = (number + 1, revealed.RecordSha256);
        }
        var act = DrawV2.Act(number, now, request.ActorField, "void", actor.Field, request.Reason);
        events.Add(new DrawActRecorded(draw.Id, number, act, DrawV2.Chain(previous, act), request.ActorField, request.By));
        return Decision.Accept([.. events]);
    }

    /// <summary>The complete /2 record (docs/draw-algorithm.md, section 10), with who stands behind each actor field.</summary>
    public static DrawRecordV2 RecordV2(Draw draw, DrawFiles files) =>
        new(DrawV2.Algorithm, draw.Id, files, draw.Status == DrawStatus.Proposed ? "" : draw.Commitment, draw.CommitmentSha256, draw.Acts, draw.RecordSha256,
            draw.Outputs ?? new DrawOutputs("", "", "", ""), draw.Actors);

    /// <summary>The public record is readable now: at once, or from the first day of the inspection window (不预先告知).</summary>
    public static bool RecordIsPublic(Draw draw, DateOnly today) =>
        draw.RecordPublic == DrawV2.RecordPublicImmediately || (draw.WindowFrom is { } from && today >= from);
}
