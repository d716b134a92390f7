using Marten.Linq.MatchesSql;
using Supervision.Api.Calendar;
using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;

namespace Supervision.Api.FollowUps;

public sealed partial class FollowUpProjection : SingleStreamProjection<FollowUpCase, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public FollowUpProjection()
    {
        IncludeType<FollowUpClosed>();
        IncludeType<FollowUpOpened>();
        IncludeType<MeasureAccepted>();
        IncludeType<MeasureBackFilled>();
        IncludeType<MeasureOverdueRaised>();
    }

    public override FollowUpCase? Evolve(FollowUpCase? snapshot, Guid id, IEvent e) => FollowUpRules.Evolve(snapshot, e.Data);
}

public sealed class FollowUpModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<FollowUpProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<FollowUpCase>().Index(f => f.CaseId).Index(f => f.DepartmentId);
    }
}

/// <summary>Scheduled at the start of the day after a measure's deadline; durable like the result-entry deadline.</summary>
public sealed record FollowUpMeasureOverdue(Guid FollowUpId, int Number);

internal static class FollowUpAnswer
{
    private static readonly HashSet<string> Forbidden = ["follow-up.department", "measure.not-yours"];

    public static ProblemDetails ToFollowUpProblem(this Decision decision) =>
        decision.Errors.FirstOrDefault(e => Forbidden.Contains(e.Rule)) is { } forbidden ? ProblemResponses.Forbidden(forbidden) : decision.ToProblem();

    public static OutgoingMessages Schedule(IEnumerable<Measure> measures, Guid followUpId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var messages = new OutgoingMessages();
        foreach (var measure in measures)
            messages.Add(new FollowUpMeasureOverdue(followUpId, measure.Number).ScheduledAt(DateTimeOffset.UtcNow + (CaseClock.StartOf(measure.DueOn.AddDays(1)) - now)));
        return messages;
    }

    public static (FollowUpCase, Events) After(FollowUpCase followUp, Decision decision) =>
        (decision.Events.Aggregate(followUp, (s, e) => FollowUpRules.Evolve(s, e)!) with { Version = followUp.Version + decision.Events.Count }, new Events(decision.Events));
}

public sealed record OpenFollowUpContext(Decision Decision, FollowUpCase? Existing);

/// <summary><c>POST /api/cases/{caseId}/follow-ups</c>: the department whose matter found a problem chooses the measures.</summary>
public static class OpenFollowUpEndpoint
{
    public static async Task<OpenFollowUpContext> LoadAsync(OpenFollowUp command, Guid caseId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase)
            return new(Decision.Reject(DomainError.NotFound("caseId", "case.unknown", $"Case {caseId} does not exist.")), null);
        var existing = await session.LoadAsync<FollowUpCase>(FollowUpCase.IdFor(caseId, command.MatterId), ct);
        // Whether the result needs follow-up is read in the catalogue version it was entered under.
        var resultVersion = inspectionCase.Departments.SelectMany(d => d.Results).FirstOrDefault(r => r.MatterId == command.MatterId)?.CatalogueVersion;
        var catalogue = (await Inspections.ResultCatalogueSource.AllAsync(session, ct)).For(resultVersion);
        return new(FollowUpRules.Decide(command, inspectionCase, existing, catalogue, await CalendarSource.LoadAsync(session, ct),
            CaseClock.Today(clock), user.As(Roles.FollowUpHandler)), existing);
    }

    public static ProblemDetails Validate(OpenFollowUpContext context) => context.Decision.ToFollowUpProblem();

    [Authorize(Roles = Roles.FollowUpHandler)]
    [WolverinePost("/api/cases/{caseId}/follow-ups"), Tags("FollowUps")]
    public static (CreationResponse<FollowUpCase>, OutgoingMessages) Post(OpenFollowUp command, Guid caseId, [NotBody] OpenFollowUpContext context, IDocumentSession session, TimeProvider clock)
    {
        var id = FollowUpCase.IdFor(caseId, command.MatterId);
        if (context.Decision.Events.Count == 0) return (new CreationResponse<FollowUpCase>($"/api/follow-ups/{id}", context.Existing!), []);
        var opened = (FollowUpOpened)context.Decision.Events[0];
        session.Events.StartStream<FollowUpCase>(id, opened);
        return (new CreationResponse<FollowUpCase>($"/api/follow-ups/{id}", FollowUpRules.Evolve(null, opened)! with { Version = 1 }),
            FollowUpAnswer.Schedule(opened.Measures, id, clock));
    }
}

public static class AcceptMeasureEndpoint
{
    public static Decision Load(AcceptMeasure command, int number, FollowUpCase followUp, ClaimsPrincipal user) =>
        FollowUpRules.Decide(command, number, followUp, user.As(Roles.FollowUpHandler));

    public static ProblemDetails Validate(Decision decision) => decision.ToFollowUpProblem();

    /// <summary>Accept a measure handed over to the caller's department (转办、移送).</summary>
    [Authorize(Roles = Roles.FollowUpHandler)]
    [WolverinePost("/api/follow-ups/{followUpId}/measures/{number}/accept"), Tags("FollowUps")]
    public static (FollowUpCase, Events) Post(AcceptMeasure command, int number, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision) =>
        FollowUpAnswer.After(followUp, decision);
}

public static class BackFillMeasureEndpoint
{
    public static Decision Load(BackFillMeasure command, int number, FollowUpCase followUp, ClaimsPrincipal user, TimeProvider clock) =>
        FollowUpRules.Decide(command, number, followUp, CaseClock.Today(clock), user.As(Roles.FollowUpHandler));

    public static ProblemDetails Validate(Decision decision) => decision.ToFollowUpProblem();

    /// <summary>Back-fill (回填) the outcome of a measure with its documents and completion date; late back-fills are flagged.</summary>
    [Authorize(Roles = Roles.FollowUpHandler)]
    [WolverinePost("/api/follow-ups/{followUpId}/measures/{number}/back-fill"), Tags("FollowUps")]
    public static async Task<(FollowUpCase, Events)> Post(BackFillMeasure command, int number, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var answer = FollowUpAnswer.After(followUp, decision);
        if (decision.Events.OfType<MeasureBackFilled>().FirstOrDefault() is { } backFilled)
            await DiscloseOutcomeAsync(answer.Item1, backFilled, session, clock, ct);
        return answer;
    }

    /// <summary>
    /// The outcome reaches the public copy in the same transaction as the back-fill (<see cref="FollowUpOutcomeDisclosed"/>): the
    /// publication stream is fetched for writing, so a correction committed meanwhile makes one of the two fail with 409, not lose a revision.
    /// </summary>
    private static async Task DiscloseOutcomeAsync(FollowUpCase followUp, MeasureBackFilled backFilled, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Supervision.Domain.Disclosure.ResultPublication>(
            Supervision.Domain.Disclosure.ResultPublication.IdFor(followUp.CaseId), ct);
        if (stream.Aggregate is null) return;
        var owner = followUp.MeasureNumbered(backFilled.Number)?.OwnerDepartmentId ?? followUp.DepartmentId;
        var decidingBody = (await session.LoadAsync<Supervision.Domain.Organization.Department>(owner, ct))?.Name ?? "";
        stream.AppendMany(Supervision.Domain.Disclosure.PublicationRules.DecideFollowUpOutcome(stream.Aggregate, followUp, backFilled, decidingBody, CaseClock.Today(clock)).Events);
    }
}

public static class CloseFollowUpEndpoint
{
    public static Decision Load(CloseFollowUp command, FollowUpCase followUp, ClaimsPrincipal user, TimeProvider clock) =>
        FollowUpRules.Decide(command, followUp, CaseClock.Today(clock), user.As(Roles.FollowUpHandler));

    public static ProblemDetails Validate(Decision decision) => decision.ToFollowUpProblem();

    /// <summary>Close the loop (监管闭环) of a follow-up once every measure has its outcome.</summary>
    [Authorize(Roles = Roles.FollowUpHandler)]
    [WolverinePost("/api/follow-ups/{followUpId}/close"), Tags("FollowUps")]
    public static (FollowUpCase, Events) Post(CloseFollowUp command, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision) =>
        FollowUpAnswer.After(followUp, decision);
}

public static class FollowUpMeasureOverdueHandler
{
    public static async Task Handle(FollowUpMeasureOverdue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<FollowUpCase>(message.FollowUpId, ct);
        if (stream.Aggregate is null) return;
        stream.AppendMany(FollowUpRules.DecideOverdue(stream.Aggregate, message.Number, CaseClock.Today(clock)).Events);
    }
}

public sealed record FollowUpSummary(Guid Id, Guid CaseId, Guid TargetId, Guid DepartmentId, FollowUpStatus Status, DateOnly? ClosedOn, IReadOnlyList<Measure> Measures);

public static class FollowUpQueries
{
    /// <summary>Read one follow-up with its measures and their outcomes. A follow-up outside the caller's scope (docs/access.md) answers as one that does not exist.</summary>
    [WolverineGet("/api/follow-ups/{followUpId}"), Tags("FollowUps")]
    public static async Task<IResult> Get(Guid followUpId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        return await session.Events.FetchLatest<FollowUpCase>(followUpId, ct) is { } found && MayRead(reader, places, found)
            ? Results.Ok(found)
            : Readers.NotFound("follow-up");
    }

    public static bool MayRead(Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, FollowUpCase f) =>
        Supervision.Domain.Access.ReadAccess.MayReadFollowUp(reader,
            f.Measures.Select(m => m.OwnerDepartmentId).Prepend(f.DepartmentId).Distinct().Select(places.Place).ToList());

    /// <summary>
    /// Follow-ups of a department (<c>departmentId</c>), or those waiting for a department (<c>waitingFor</c>: measures it owns
    /// without an outcome), or those with an overdue measure (<c>overdue=true</c>).
    /// </summary>
    [WolverineGet("/api/follow-ups"), Tags("FollowUps")]
    public static async Task<PagedResult<FollowUpSummary>> List(IQuerySession session, ClaimsPrincipal user, Guid? departmentId, Guid? waitingFor, bool? overdue,
        int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<FollowUpCase>().AsQueryable();
        if (departmentId is { } department) query = query.Where(f => f.DepartmentId == department);
        if (waitingFor is { } owner)
            query = query.Where(f => f.MatchesSql("exists (select 1 from jsonb_array_elements(d.data -> 'Measures') m where (m ->> 'OwnerDepartmentId')::uuid = ? and m ->> 'Outcome' is null)", owner));
        if (overdue is true) query = query.Where(f => f.MatchesSql("exists (select 1 from jsonb_array_elements(d.data -> 'Measures') m where (m ->> 'Overdue')::boolean)"));
        var scope = ReadScopes.FollowUps(reader, places);
        return await Paging.PageAsync(query.Where(f => f.MatchesSql(scope.Sql, scope.Parameters)), followUps => followUps.OrderBy(f => f.Id),
            f => new FollowUpSummary(f.Id, f.CaseId, f.TargetId, f.DepartmentId, f.Status, f.ClosedOn, f.Measures), page, pageSize, session, ct);
    }
}
