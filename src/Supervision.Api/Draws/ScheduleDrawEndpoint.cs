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
    public static async Task<ScheduleContext> LoadAsync(ScheduleDraw command, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var by = user.As(Roles.Planner);
        ScheduleContext Refuse(params DomainError[] errors) => new(errors, null, null, null, null, null, DrawV2.RecordPublicImmediately, by);

        if (DrawScheduling.SourceErrors(command.Sources, clock.GetUtcNow()) is { Count: > 0 } sourceErrors) return Refuse([.. sourceErrors]);
        var plan = await session.LoadAsync<AnnualPlan>(command.PlanId, ct);
        if (DrawScheduling.CheckPlan(command.PlanId, plan, command.TaskNumber, by) is { } planRefused) return Refuse(planRefused);
        var task = plan!.Task(command.TaskNumber!)!;

        var draws = await session.Query<Draw>().Where(d => d.PlanId == plan.Id).ToListAsync(ct);
        var ofTask = draws.Where(d => d.TaskNumber == task.Number).ToList();
        if (DrawScheduling.CheckRedo(task.Number, ofTask, command.ReplacesDrawId) is { } redoRefused) return Refuse(redoRefused);
        var department = await session.LoadAsync<Department>(plan.DepartmentId, ct);
        var sequence = await AsOf.CurrentSequenceAsync(session, ct);
        var drawId = DeterministicId.For("draw", $"{plan.Id:N}/{task.Number}/{ofTask.Count + 1}");

        DrawPools.Pools pools;
        if (command.ReplacesDrawId is { } replaced)
        {
            var voided = ofTask.Single(d => d.Id == replaced);
            var files = await DrawLoading.FilesAsync(session, store, replaced, ct);
            pools = DrawPools.FromVoided(drawId, replaced, files, voided.Corrections, voided.VoidReason ?? "", sequence);
            if (!pools.Setup.PartialTeams && DrawPools.Shortfalls(pools) is { Count: > 0 } shortfalls) return Refuse([.. shortfalls]);
        }
        else
        {
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
        var scheduled = DrawScheduling.Scheduled(plan, task, pools, proposal, context.Sources!, context.RegionCode, context.RecordPublic, context.By);
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
