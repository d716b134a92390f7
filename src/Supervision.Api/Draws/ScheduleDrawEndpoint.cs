using System.Security.Cryptography;
using Supervision.Api.Directories.Targets;
using Supervision.Api.Plans;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Api.Draws;

/// <summary>What scheduling found: a refusal, or the frozen pools with their proposal and the department's sealed contribution.</summary>
public sealed record ScheduleContext(IReadOnlyList<DomainError> Errors, AnnualPlan? Plan, DrawPools.Pools? Pools, DrawV2.Proposal? Proposal,
    string? SealedContribution, string? RegionCode, string RecordPublic, Actor By, IReadOnlyList<RandomnessSourceDeclaration>? Sources = null);

/// <summary>
/// <c>POST /api/draws</c>: freezes the task's pools from the directories as they are now (or, for a redo, the voided draw's pools),
/// declares the randomness plan and seals the department's contribution (docs/draw-algorithm.md, section 1, step 1). The
/// commitment is final, and public, once a 纪检 adds the discipline office's contribution hash.
/// </summary>
public static class ScheduleDrawEndpoint
{
    public const int MaxSources = 10;

    public static async Task<ScheduleContext> LoadAsync(ScheduleDraw command, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var by = user.As(Roles.Planner);
        ScheduleContext Refuse(params DomainError[] errors) => new(errors, null, null, null, null, null, DrawV2.RecordPublicImmediately, by);

        if (SourceErrors(command.Sources, clock.GetUtcNow()) is { Count: > 0 } sourceErrors) return Refuse([.. sourceErrors]);
        if (await session.LoadAsync<AnnualPlan>(command.PlanId, ct) is not { } plan)
            return Refuse(DomainError.NotFound("planId", "plan.unknown", $"Plan {command.PlanId} does not exist."));
        if (by.DepartmentId != plan.DepartmentId)
            return Refuse(DomainError.Forbidden("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department."));
        if (plan.Status is not (PlanStatus.Approved or PlanStatus.Published or PlanStatus.InProgress))
            return Refuse(DomainError.Conflict("planId", "draw.plan.status", $"Only an approved plan's tasks are drawn; plan {plan.Number} is {plan.Status}."));
        if (plan.Task(command.TaskNumber ?? "") is not { } task)
            return Refuse(DomainError.NotFound("taskNumber", "task.unknown", $"Plan {plan.Number} has no task {command.TaskNumber}."));

        var draws = await session.Query<Draw>().Where(d => d.PlanId == plan.Id).ToListAsync(ct);
        var ofTask = draws.Where(d => d.TaskNumber == task.Number).ToList();
        if (ofTask.FirstOrDefault(d => d.Status != DrawStatus.Voided) is { } active)
            return Refuse(DomainError.Conflict("taskNumber", "draw.task.active", $"Task {task.Number} already has draw {active.Id} ({active.Status}); void it first to draw again."));
        var department = await session.LoadAsync<Department>(plan.DepartmentId, ct);
        var sequence = await AsOf.CurrentSequenceAsync(session, ct);
        var drawId = DeterministicId.For("draw", $"{plan.Id:N}/{task.Number}/{ofTask.Count + 1}");

        DrawPools.Pools pools;
        if (command.ReplacesDrawId is { } replaced)
        {
            if (ofTask.FirstOrDefault(d => d.Id == replaced) is not { Status: DrawStatus.Voided, IsV2: true } voided)
                return Refuse(DomainError.Conflict("replacesDrawId", "draw.redo.not-voided", $"A redo names a voided {DrawV2.Algorithm} draw of the same task; {replaced} is not one."));
            if (ofTask.Any(d => d.ReplacesDrawId == replaced))
                return Refuse(DomainError.Conflict("replacesDrawId", "draw.redo.exists", $"Draw {replaced} has been redone already."));
            var files = await DrawLoading.FilesAsync(session, store, replaced, ct);
            pools = DrawPools.FromVoided(drawId, replaced, files, voided.Corrections, voided.VoidReason ?? "", sequence);
            if (!pools.Setup.PartialTeams && DrawPools.Shortfalls(pools) is { Count: > 0 } shortfalls) return Refuse([.. shortfalls]);
        }
        else
        {
            // Voided after randomness existed: drawn again only from the same pools, by a redo that names it (section 11).
            if (ofTask.LastOrDefault(d => d.VoidedAfterRandomness) is { } mustRedo && ofTask.All(d => d.ReplacesDrawId != mustRedo.Id))
                return Refuse(DomainError.Conflict("replacesDrawId", "draw.redo.required",
                    $"Draw {mustRedo.Id} of task {task.Number} was voided after its randomness existed: draw again only as a redo naming it, from its pools."));
            var departments = task.Definition.Participants.Select(p => p.DepartmentId).ToArray();
            var inspectors = await session.Query<Inspector>().Where(i => i.DepartmentId.IsOneOf(departments)).ToListAsync(ct);
            var matters = await session.LoadManyAsync<InspectionMatter>(ct, task.Definition.AllMatters.Select(m => m.MatterId).Distinct().ToArray());
            var drawnThisYear = await DrawnThisYearAsync(session, plan.Year, task.Definition.AllMatters.Select(m => m.MatterId).ToHashSet(), ct);
            // Rows, not Target documents: the five fields a freeze reads, streamed from Npgsql straight into the canonical targets
            // file's bytes. Ordered by id, which within a stratum is the file's order (a uuid sorts as its lowercase hex text), so
            // a pool drawn in one stratum is hashed as it streams and never sorted. The count sizes the buffer once.
            var scope = TargetQueries.Apply(session.Query<Target>(), task.Definition.Scope);
            var expected = await scope.CountAsync(ct);
            var rows = scope.OrderBy(t => t.Id).Select(t => new CandidateRow(t.Id, t.Identifier, t.Status, t.CreditClass, t.CreditCode)).ToAsyncEnumerable(ct);
            var (built, errors) = await DrawPools.BuildStreamed(drawId, plan, task, sequence, command.LoadCap, command.Batches, rows, inspectors,
                matters.ToDictionary(m => m.Id), drawnThisYear, (int)Math.Min(Array.MaxLength, (long)expected * 72 + 1024));
            if (built is null) return new(errors, plan, null, null, null, null, DrawV2.RecordPublicImmediately, by);
            pools = built with { Setup = built.Setup with { RecordPublic = department?.DrawRecordPublic ?? DrawV2.RecordPublicImmediately } };
        }

        // As written in the files: descriptions trimmed and NFC, moments on whole seconds (rounded up, so "after now" still holds).
        var sources = command.Sources!.Select(s => s with
        {
            Description = Text.Normalized(s.Description),
            NotBefore = new DateTimeOffset((s.NotBefore.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero),
        }).ToList();
        var (_, sha, sealedContribution) = secrets.NewContribution(drawId);
        var proposal = pools.Frozen is { } frozen
            ? DrawV2.Freeze(pools.Setup, frozen, pools.Exclusions, pools.Inspectors, pools.Conflicts, sources, sha)
            : DrawV2.Freeze(pools.Setup, pools.Targets, pools.Exclusions, pools.Inspectors, pools.Conflicts, sources, sha);
        return new([], plan, pools, proposal, sealedContribution, department?.RegionCode, pools.Setup.RecordPublic, by, sources);
    }

    /// <summary>The randomness plan: 1 to 10 named sources, each a ceremony or a beacon, described, and available only in the future.</summary>
    public static List<DomainError> SourceErrors(IReadOnlyList<RandomnessSourceDeclaration>? sources, DateTimeOffset now)
    {
        var errors = new List<DomainError>();
        if (sources is not { Count: > 0 and <= MaxSources })
        {
            errors.Add(DomainError.Invalid("sources", "draw.sources.required",
                $"Declare 1 to {MaxSources} sources of randomness, each with the moment after which its value exists (e.g. a 福彩3D draw period, a drand round, a witnessed ceremony)."));
            return errors;
        }
        foreach (var (s, i) in sources.Select((s, i) => (s, i)))
        {
            var field = $"sources[{i}]";
            if (s is null) { errors.Add(DomainError.Invalid(field, "draw.source.required", "A source is an object.")); continue; }
            if (s.Name is null || !DrawV2.SourceName().IsMatch(s.Name))
                errors.Add(DomainError.Invalid($"{field}.name", "draw.source.name", "A source name is 1 to 40 of a-z, 0-9 and '-'."));
            if (s.Kind is not (DrawV2.Ceremony or DrawV2.Beacon))
                errors.Add(DomainError.Invalid($"{field}.kind", "draw.source.kind", "A source is a 'ceremony' (witnessed) or a 'beacon' (a public future value)."));
            if (string.IsNullOrWhiteSpace(s.Description) || s.Description.Trim().Length > DrawV2.MaxDescriptionLength || s.Description.Any(char.IsControl))
                errors.Add(DomainError.Invalid($"{field}.description", "draw.source.description",
                    $"Describe the source precisely (1 to {DrawV2.MaxDescriptionLength} characters, one line): the lottery and period, the drand round, or the ceremony's time, place and witnesses."));
            if (s.NotBefore <= now || s.NotBefore > now.AddYears(1))
                errors.Add(DomainError.Invalid($"{field}.notBefore", "draw.source.not-future", "A source's value must come into existence after now (and within a year)."));
        }
        if (sources.Where(s => s?.Name is not null).GroupBy(s => s.Name).Any(g => g.Count() > 1))
            errors.Add(DomainError.Invalid("sources", "draw.source.duplicate", "Each source is declared once."));
        return errors;
    }

    /// <summary>"Already drawn this year under the same matter": targets of this year's completed draws sharing a matter.</summary>
    private static async Task<IReadOnlySet<Guid>> DrawnThisYearAsync(IQuerySession session, int year, IReadOnlySet<Guid> matters, CancellationToken ct)
    {
        // A draw voided after it was drawn still counts: voiding must not put its targets back for a more convenient re-draw.
        var draws = (await session.Query<Draw>().Where(d => d.Year == year && d.Status != DrawStatus.Scheduled).ToListAsync(ct))
            .Where(d => d.Outputs is not null).ToList();
        return draws.Where(d => d.MatterIds.Any(matters.Contains)).SelectMany(d => d.CurrentTargets()).ToHashSet();
    }

    public static ProblemDetails Validate(ScheduleContext context) =>
        context.Errors.Count == 0 ? WolverineContinue.NoProblems : ProblemResponses.FromErrors(context.Errors);

    [Authorize(Roles = Roles.Planner), WolverinePost("/api/draws"), Tags("Draws")]
    public static async Task<CreationResponse<DrawView>> Post(ScheduleDraw command, [NotBody] ScheduleContext context, IDocumentSession session, DrawTargetsStore store,
        CancellationToken ct)
    {
        var (plan, pools, proposal) = (context.Plan!, context.Pools!, context.Proposal!);
        var task = plan.Task(command.TaskNumber)!;
        var scheduled = new DrawScheduled(pools.Setup.DrawId, plan.Id, plan.DepartmentId, plan.Number, task.Number, plan.Year,
            task.Definition.AllMatters.Select(m => m.MatterId).Distinct().ToList(), proposal.CommitmentBase, "",
            pools.Setup.PoolAsOfSequence, pools.TargetCount, pools.Inspectors.Count, pools.Exclusions.Count, context.By,
            DrawV2.Algorithm, context.Sources!, context.RegionCode, context.RecordPublic,
            pools.Setup.WindowFrom, pools.Setup.ReplacesDrawId, pools.Setup.PartialTeams);
        session.Events.StartStream<Draw>(scheduled.DrawId, scheduled);
        // The targets file inside the document as before, or, beyond what a jsonb value may hold, in chunks beside it (DrawTargetsStore).
        var files = proposal.Files;
        StoredTargets? apart = null;
        if (proposal.Targets is { } frozen)
        {
            if (store.KeepsApart(frozen.Length)) apart = await store.WriteAsync(session, scheduled.DrawId, frozen.Bytes, frozen.Length, frozen.Sha256, ct);
            else files = files with { Targets = Canonical.Utf8.GetString(frozen.Bytes, 0, frozen.Length) };
        }
        else if (store.KeepsApart(Canonical.Utf8.GetByteCount(files.Targets)))
        {
            var bytes = Canonical.Utf8.GetBytes(files.Targets);
            apart = await store.WriteAsync(session, scheduled.DrawId, bytes, bytes.Length, CanonicalUtf8.Sha256Hex(bytes), ct);
            files = files with { Targets = "" };
        }
        session.Insert(new FrozenDrawFiles(scheduled.DrawId, files, apart));
        session.Insert(new SealedContribution(scheduled.DrawId, context.SealedContribution!));
        var view = DrawView.From(Draw.StateAfter(null, scheduled)!.WithVersion(1));
        return new CreationResponse<DrawView>($"/api/draws/{scheduled.DrawId}", view);
    }
}
