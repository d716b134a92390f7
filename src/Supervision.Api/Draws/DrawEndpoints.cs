using Marten.Linq.MatchesSql;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Draws;

internal static class DrawAnswer
{
    private static readonly HashSet<string> ForbiddenRules =
        ["draw.department.not-yours", "draw.discipline.role", "draw.discipline.no-department", "draw.discipline.out-of-scope"];

    public static ProblemDetails ToDrawProblem(this Decision decision) =>
        decision.Errors.FirstOrDefault(e => ForbiddenRules.Contains(e.Rule)) is { } forbidden ? ProblemResponses.Forbidden(forbidden) : decision.ToProblem();

    public static (DrawView, Events) After(Draw draw, Decision decision) =>
        (DrawView.From(decision.Events.Aggregate(draw, (s, e) => DrawRules.Evolve(s, e)!) with { Version = draw.Version + decision.Events.Count }),
            new Events(decision.Events));

    /// <summary>A draw's frozen files; a targets file kept apart (<see cref="DrawTargetsStore"/>) comes as its bytes, files.Targets then empty.</summary>
    public static async Task<(DrawFiles Files, byte[]? TargetsUtf8, StoredTargets? Apart)> FrozenAsync(IQuerySession session, DrawTargetsStore store, Guid drawId,
        CancellationToken ct)
    {
        var frozen = await session.LoadAsync<FrozenDrawFiles>(drawId, ct) ?? throw new InvalidOperationException($"Draw {drawId} has no frozen files.");
        return frozen.TargetsApart is { } apart ? (frozen.Files, await store.ReadAsync(drawId, apart, ct), apart) : (frozen.Files, null, null);
    }

    /// <summary>A draw's frozen files with the targets file as text wherever it is kept (for the paths that read it as text: /1, a redo's pools).</summary>
    public static async Task<DrawFiles> FilesAsync(IQuerySession session, DrawTargetsStore store, Guid drawId, CancellationToken ct)
    {
        var (files, bytes, _) = await FrozenAsync(session, store, drawId, ct);
        return bytes is null ? files : files with { Targets = Canonical.Utf8.GetString(bytes) };
    }

    /// <summary>The record as JSON: a targets file kept apart is streamed from its chunks (never one string), the rest as always.</summary>
    public static async Task<IResult> RecordResultAsync(IQuerySession session, DrawTargetsStore store, Draw draw, bool publicRecord, CancellationToken ct)
    {
        var frozen = await session.LoadAsync<FrozenDrawFiles>(draw.Id, ct) ?? throw new InvalidOperationException($"Draw {draw.Id} has no frozen files.");
        var record = DrawRules.RecordV2(draw, frozen.Files);
        if (publicRecord) record = record.Public();
        if (frozen.TargetsApart is null) return Results.Ok(record);
        return Results.Stream(body => DrawRecordStream.WriteAsync(body, record, store.ChunksAsync(draw.Id, ct), ct), "application/json; charset=utf-8");
    }

    /// <summary>The person acting in <paramref name="role"/>, their act field (a keyed digest stands for them) and their department's region.</summary>
    public static async Task<DrawActor> ActorAsync(ClaimsPrincipal user, string role, IQuerySession session, DrawSecrets secrets, CancellationToken ct)
    {
        var by = user.As(role);
        var region = by.DepartmentId is { } d ? (await session.LoadAsync<Department>(d, ct))?.RegionCode : null;
        return new DrawActor(by, DrawV2.ActorField(role, by.DepartmentId, secrets.ActorDigest(by.UserId)), region);
    }
}

/// <summary>A 纪检 adds the discipline office's contribution hash: the commitment is final and public from now on.</summary>
public static class CommitDrawEndpoint
{
    public static async Task<Decision> LoadAsync(CommitDraw command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct));

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = Roles.DisciplineInspector)]
    [WolverinePost("/api/draws/{drawId}/commitment"), Tags("Draws")]
    public static (DrawView, Events) Post(CommitDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

/// <summary>A declared source's value, entered by two different 纪检 after its moment; the second, agreeing entry records it.</summary>
public static class EnterRandomnessEndpoint
{
    public static async Task<Decision> LoadAsync(EnterRandomness command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct), secrets.ValueDigest);

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = Roles.DisciplineInspector)]
    [WolverinePost("/api/draws/{drawId}/randomness"), Tags("Draws")]
    public static (DrawView, Events) Post(EnterRandomness command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

/// <summary>The discipline office reveals its 32 bytes once every declared value is recorded.</summary>
public static class RevealContributionEndpoint
{
    public static async Task<Decision> LoadAsync(RevealContribution command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct));

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = Roles.DisciplineInspector)]
    [WolverinePost("/api/draws/{drawId}/contribution"), Tags("Draws")]
    public static (DrawView, Events) Post(RevealContribution command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

public static class PerformDrawEndpoint
{
    public static async Task<Decision> LoadAsync(PerformDraw command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var actor = await DrawAnswer.ActorAsync(user, Roles.Planner, session, secrets, ct);
        if (!draw.IsV2)
            return Decision.Reject(DomainError.Conflict("algorithm", "draw.algorithm.retired",
                $"Draw {draw.Id} is of {draw.Algorithm}, whose randomness one operator could steer; void it and schedule a {DrawV2.Algorithm} draw."));
        if (draw.Status != DrawStatus.Scheduled || await session.LoadAsync<SealedContribution>(draw.Id, ct) is not { } sealedContribution)
            return DrawRules.DecideV2(command, draw, new DrawFiles("", "", "", "", "", ""), "", clock.GetUtcNow(), actor);
        var (files, targets, _) = await DrawAnswer.FrozenAsync(session, store, draw.Id, ct);
        return DrawRules.DecideV2(command, draw, files, secrets.Unseal(draw.Id, sealedContribution.Sealed), clock.GetUtcNow(), actor, targets);
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>Reveals the department's contribution and draws; the plan's task is marked drawn in the same transaction.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/draws/{drawId}/draw"), Tags("Draws")]
    public static (DrawView, Events) Post(PerformDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision, ClaimsPrincipal user, IDocumentSession session)
    {
        if (decision.Events.Count > 0)
            session.Events.Append(draw.PlanId, new SamplingTaskDrawn(draw.PlanId, draw.TaskNumber, draw.Id, user.As(Roles.Planner)));
        return DrawAnswer.After(draw, decision);
    }
}

/// <summary>回避: recorded by an approver with the reason; the replacement is the next in the committed ranking.</summary>
public static class RecuseInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(RecuseInspector command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var (files, targets, _) = await DrawAnswer.FrozenAsync(session, store, draw.Id, ct);
        var decision = draw.IsV2
            ? DrawRules.DecideV2(command, draw, files, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.Approver, session, secrets, ct), targets)
            : DrawRules.Decide(command, draw, files, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
        // A recusal once results are entered on the target's case (issue 16): refused unless the approver decides on those results.
        if (decision.IsRejected) return decision;
        var inspectionCase = await session.LoadAsync<InspectionCase>(InspectionCase.IdFor(draw.Id, command.TargetId), ct);
        return RecusalAfterResults.Check(inspectionCase, command.ResultsDisposition) is { } refused ? Decision.Reject(refused) : decision;
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>When the target's inspection case is already open, its team changes in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/recusals"), Tags("Draws")]
    public static async Task<(DrawView, Events)> Post(RecuseInspector command, [WriteAggregate("drawId")] Draw draw, Decision decision,
        IDocumentSession session, ClaimsPrincipal user, CancellationToken ct)
    {
        var caseId = InspectionCase.IdFor(draw.Id, command.TargetId);
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is { } drawn && await session.LoadAsync<InspectionCase>(caseId, ct) is not null)
        {
            // Fetched for writing: a result entered after this read makes the commit fail (409) instead of escaping the re-check flag.
            var stream = await session.Events.FetchForWriting<InspectionCase>(caseId, ct);
            if (RecusalAfterResults.Check(stream.Aggregate, command.ResultsDisposition) is not null)
                throw new JasperFx.ConcurrencyException("Results were entered on the case while the recusal was decided; decide it again.", typeof(InspectionCase), caseId);
            var incomingId = drawn.Lines.Select(l => l.Split('|')).Where(f => f[2] == "inspector").Select(f => f[5]).FirstOrDefault();
            TeamMember? incoming = null;
            if (Guid.TryParse(incomingId, out var id) && await session.LoadAsync<Inspector>(id, ct) is { } inspector)
                incoming = new TeamMember(inspector.Id, inspector.StaffCode, inspector.DepartmentId);
            stream.AppendOne(RecusalAfterResults.TeamChange(stream.Aggregate!, command.InspectorId, incoming, command.Reason.Trim(), command.ResultsDisposition,
                user.As(Roles.Approver)));
        }
        return DrawAnswer.After(draw, decision);
    }
}

/// <summary>A drawn target found 注销, unreachable or otherwise not inspectable gives way to the next in its stratum's ranking.</summary>
public static class ReplaceTargetEndpoint
{
    public static async Task<Decision> LoadAsync(ReplaceTarget command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var (files, targets, _) = await DrawAnswer.FrozenAsync(session, store, draw.Id, ct);
        return draw.IsV2
            ? DrawRules.DecideV2(command, draw, files, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.Approver, session, secrets, ct), targets)
            : DrawRules.Decide(command, draw, files, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>When cases are open, the replaced target's case is withdrawn and the replacement's opened, in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/target-replacements"), Tags("Draws")]
    public static async Task<(DrawView, Events)> Post(ReplaceTarget command, [WriteAggregate("drawId")] Draw draw, Decision decision,
        IDocumentSession session, ClaimsPrincipal user, CancellationToken ct)
    {
        var by = user.As(Roles.Approver);
        var oldCaseId = InspectionCase.IdFor(draw.Id, command.TargetId);
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is { } drawn && await session.LoadAsync<InspectionCase>(oldCaseId, ct) is { } oldCase)
        {
            session.Events.Append(oldCaseId, new CaseWithdrawn(oldCaseId, command.Reason.Trim(), by));
            var lines = drawn.Lines.Select(l => l.Split('|')).ToList();
            if (lines.FirstOrDefault(f => f[2] == "target") is { } target && Guid.TryParse(target[4], out var replacement))
            {
                var memberIds = lines.Where(f => f[2] == "member" && Guid.TryParse(f[5], out _)).Select(f => Guid.Parse(f[5])).ToArray();
                var members = (await session.LoadManyAsync<Inspector>(ct, memberIds)).ToDictionary(i => i.Id);
                var team = memberIds.Select(id => new TeamMember(id, members[id].StaffCode, members[id].DepartmentId)).ToList();
                var caseId = InspectionCase.IdFor(draw.Id, replacement);
                var open = new OpenCase(caseId, draw.Id, draw.PlanId, draw.TaskNumber, replacement,
                    oldCase.Departments.Select(d => new Participant(d.DepartmentId, d.Matters)).ToList(), team, oldCase.Trigger);
                session.Events.StartStream<InspectionCase>(caseId, CaseRules.Decide(open, null, by).Events.ToArray());
            }
        }
        return DrawAnswer.After(draw, decision);
    }
}

/// <summary>
/// Before any randomness can exist, an approver voids with a reason. After that the void is only requested: it takes effect with a 纪检's
/// countersignature (docs/draw-algorithm.md, section 11), and the voided record stays public.
/// </summary>
public static class VoidDrawEndpoint
{
    public static async Task<Decision> LoadAsync(RequestVoid command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        if (!draw.IsV2)
            return DrawRules.Decide(new VoidDraw(command.Reason, command.Version), draw, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
        var (files, bytes, _) = await DrawAnswer.FrozenAsync(session, store, draw.Id, ct);
        var targets = bytes is null ? Canonical.Lines(files.Targets).Select(l => Guid.Parse(l.Split('|')[2])).ToHashSet() : CanonicalUtf8.TargetIds(bytes);
        var inspectors = Canonical.Lines(files.Inspectors).Select(l => Guid.Parse(l.Split('|')[1])).ToHashSet();
        return DrawRules.DecideV2(command, draw, targets, inspectors, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.Approver, session, secrets, ct));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/void"), Tags("Draws")]
    public static (DrawView, Events) Post(RequestVoid command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

public static class CountersignVoidEndpoint
{
    public static async Task<Decision> LoadAsync(CountersignVoid command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var sealedContribution = draw.DisciplineContribution is not null && draw.Outputs is null ? await session.LoadAsync<SealedContribution>(draw.Id, ct) : null;
        return DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawAnswer.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct),
            sealedContribution is null ? null : secrets.Unseal(draw.Id, sealedContribution.Sealed));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>Countersign (纪检) a requested void, which makes it effective; the voided record stays public.</summary>
    [Authorize(Roles = Roles.DisciplineInspector)]
    [WolverinePost("/api/draws/{drawId}/void/countersignature"), Tags("Draws")]
    public static (DrawView, Events) Post(CountersignVoid command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

public static class DrawQueries
{
    /// <summary>Read one draw: its status, sources, values, drawn targets and teams. A draw outside the caller's scope (docs/access.md: its plan's readers) answers as one that does not exist.</summary>
    [WolverineGet("/api/draws/{drawId}"), Tags("Draws")]
    public static async Task<IResult> Get(Guid drawId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct) =>
        await ReadableAsync(drawId, user, session, ct) is { } draw ? Results.Ok(DrawView.From(draw)) : Readers.NotFound("draw");

    private static async Task<Draw?> ReadableAsync(Guid drawId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (await session.Events.FetchLatest<Draw>(drawId, ct) is not { } draw) return null;
        var plan = await session.LoadAsync<AnnualPlan>(draw.PlanId, ct);
        return MayRead(reader, places, draw, plan) ? draw : null;
    }

    private static bool MayRead(Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, Draw draw, AnnualPlan? plan) =>
        Supervision.Domain.Access.ReadAccess.MayReadPlanning(reader, places.Place(draw.DepartmentId),
            plan?.Task(draw.TaskNumber)?.Definition.Participants.Select(p => p.DepartmentId) ?? []);

    /// <summary>List the draws the caller may read, optionally of one plan, paged.</summary>
    [WolverineGet("/api/draws"), Tags("Draws")]
    public static async Task<PagedResult<DrawView>> List(IQuerySession session, ClaimsPrincipal user, Guid? planId, int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<Draw>().AsQueryable();
        if (planId is { } id) query = query.Where(d => d.PlanId == id);
        var scope = Infrastructure.Auth.ReadScopes.Draws(reader, places, session.DocumentStore.Options.Schema.For<AnnualPlan>());
        // Plan and task numbers are ASCII, so the database's C collation orders them as the ordinal comparison did.
        return await Paging.PageAsync(query.Where(d => d.MatchesSql(scope.Sql, scope.Parameters)), draws => draws.OrderBy(d => d.PlanNumber).ThenBy(d => d.TaskNumber).ThenBy(d => d.Id),
            DrawView.From, page, pageSize, session, ct);
    }

    /// <summary>Everything needed to replay the draw offline (docs/draw-algorithm.md, section 10); for /2 also who stands behind each act.</summary>
    [WolverineGet("/api/draws/{drawId}/record"), Tags("Draws")]
    public static async Task<IResult> Record(Guid drawId, ClaimsPrincipal user, IDocumentSession session, DrawTargetsStore store, CancellationToken ct)
    {
        if (await ReadableAsync(drawId, user, session, ct) is not { } draw) return Readers.NotFound("draw");
        return draw.IsV2 ? await DrawAnswer.RecordResultAsync(session, store, draw, publicRecord: false, ct)
            : Results.Ok(DrawRules.Record(draw, await DrawAnswer.FilesAsync(session, store, draw.Id, ct)));
    }

    /// <summary>
    /// The commitment and the record's hash chain, public from the moment each exists: anyone can note them before the randomness,
    /// and check later that the record still ends in the same hash.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/draws/{drawId}/commitment"), Tags("Public")]
    public static async Task<IResult> Commitment(Guid drawId, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { } draw || draw.Status == DrawStatus.Proposed)
            return Results.Problem(statusCode: 404, title: "No committed draw with this id.");
        return Results.Ok(PublicDrawSummary.From(draw, Supervision.Api.Directories.Inspectors.InspectorAccess.Today(clock)));
    }

    /// <summary>
    /// The public record (docs/draw-algorithm.md, section 10): the staff record without the names behind the act fields, verifiable by the
    /// same verifiers against the published hashes. Readable at once or from the inspection window's first day, as the department set.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/draws/{drawId}/record"), Tags("Public")]
    public static async Task<IResult> PublicRecord(Guid drawId, [ReadReplica] IQuerySession session, DrawTargetsStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { IsV2: true } draw || draw.Status == DrawStatus.Proposed)
            return Results.Problem(statusCode: 404, title: "No committed draw with this id.");
        if (!DrawRules.RecordIsPublic(draw, Supervision.Api.Directories.Inspectors.InspectorAccess.Today(clock)))
            return Results.Problem(statusCode: 404, title: "This draw's record is not public yet.",
                detail: $"The department publishes its draw records when the inspections start ({draw.WindowFrom:yyyy-MM-dd}); the record's hash is public now: {draw.RecordSha256}.");
        return await DrawAnswer.RecordResultAsync(session, store, draw, publicRecord: true, ct);
    }
}

/// <summary>What anyone may see of a draw at once: the commitment, the randomness plan and every hash of the record's chain.</summary>
public sealed record PublicDrawSummary(Guid Id, string Algorithm, string PlanNumber, string TaskNumber, DrawStatus Status, string Commitment, string CommitmentSha256,
    IReadOnlyList<RandomnessSourceDeclaration> Sources, IReadOnlyList<PublicAct> Chain, string RecordSha256, string RecordPublic, bool RecordIsPublic, Guid? ReplacesDrawId)
{
    public static PublicDrawSummary From(Draw draw, DateOnly today)
    {
        var chain = new List<PublicAct>();
        var hash = draw.CommitmentSha256;
        foreach (var (act, n) in draw.Acts.Select((a, i) => (a, i + 1)))
        {
            hash = DrawV2.Chain(hash, act);
            chain.Add(new PublicAct(n, act.Split('|')[4], act.Split('|')[2], hash));
        }
        return new(draw.Id, draw.Algorithm, draw.PlanNumber, draw.TaskNumber, draw.Status, draw.Commitment, draw.CommitmentSha256, draw.Sources, chain,
            draw.IsV2 ? draw.RecordSha256 : "", draw.RecordPublic, draw.IsV2 && DrawRules.RecordIsPublic(draw, today), draw.ReplacesDrawId);
    }
}

/// <summary>One link of the chain: the act's number, kind and instant, and the record's hash after it.</summary>
public sealed record PublicAct(int Number, string Kind, string At, string RecordSha256);

public static class VerifyDrawEndpoint
{
    /// <summary>
    /// Replays any record (from this system or elsewhere, /1 or /2) and reports a match or the first difference; for /2 against the
    /// published commitment and record hashes when given.
    /// </summary>
    /// <remarks>
    /// The body is read as a stream into a temporary file (a province-wide record is hundreds of MiB), then verified over its bytes
    /// (<see cref="DrawRecords.Verify(byte[], Func{byte[]}, string?, string?)"/>); never parsed into one document unless it does
    /// not match. At most <c>Supervision:Draws:VerifyMaxBytes</c> (default 1 GiB) are read: a longer body is refused with 413.
    /// </remarks>
    [AllowAnonymous, ReadOnlyCommand, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverinePost("/api/draws/verify"), Tags("Draws")]
    public static async Task<IResult> Post(HttpRequest request, string? expectCommitment, string? expectRecord, SupervisionSettings settings, CancellationToken ct)
    {
        var limit = settings.Draws.VerifyMaxBytes;
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) return TooLarge(limit);
        var path = Path.GetTempFileName();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        long length = 0;
        try
        {
            for (int read; (read = await request.Body.ReadAsync(buffer, ct)) > 0;)
            {
                length += read;
                if (length > limit) return TooLarge(limit);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        byte[] Read()
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
            file.Position = 0;
            file.ReadExactly(bytes);
            return bytes;
        }
        try
        {
            return Results.Ok(DrawRecords.Verify(Read(), Read, expectCommitment, expectRecord));
        }
        catch (System.Text.Json.JsonException e)
        {
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("record", "draw.record.json", $"The body is not a JSON record: {e.Message}")]));
        }
    }

    private static IResult TooLarge(long limit)
    {
        var problem = ProblemResponses.FromErrors([DomainError.Invalid("record", "draw.record.too-large",
            $"At most {limit} bytes are read here (Supervision:Draws:VerifyMaxBytes); verify a larger record offline with any of the three verifiers.")]);
        problem.Status = StatusCodes.Status413PayloadTooLarge;
        problem.Title = "The record is too large to verify here.";
        return Results.Problem(problem);
    }
}
