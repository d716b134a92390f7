using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

public sealed partial class CalendarYearProjection : SingleStreamProjection<CalendarYearState, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public CalendarYearProjection()
    {
        IncludeType<CalendarYearLoaded>();
    }

    public override CalendarYearState? Evolve(CalendarYearState? snapshot, Guid id, IEvent e) => CalendarRules.Evolve(snapshot, e.Data);
}

public sealed class CalendarModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CalendarYearProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<CalendarYearLoaded>();
    }
}

/// <summary>
/// The working-day calendar in force: the arrangements shipped with the system (<see cref="WorkingDayCalendar.Shipped"/>)
/// merged with every year loaded by an administrator, the highest revision of each year winning.
/// </summary>
public static class CalendarSource
{
    public static async Task<WorkingDayCalendar> LoadAsync(IQuerySession session, CancellationToken ct)
    {
        // One small document per loaded year. Loaded arrangements come after the shipped ones, so at an equal revision
        // (a year loaded before a later release ships it) the administrator's arrangement is the one in force.
        var loaded = await session.Query<CalendarYearState>().ToListAsync(ct);
        return new WorkingDayCalendar(WorkingDayCalendar.Shipped.Years.Concat(loaded.OrderBy(s => s.Year).Select(s => s.Current)));
    }
}

/// <summary>The decision to load a year, with the year's stream it appends to (null when the year is out of range).</summary>
public sealed record LoadCalendarYearContext(Decision Decision, IEventStream<CalendarYearState>? Stream);

public static class LoadCalendarYearEndpoint
{
    public static async Task<LoadCalendarYearContext> LoadAsync(LoadCalendarYear command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        // Fetched for writing: two loads of one year at once cannot both take the same revision; the second gets a 409.
        var stream = command.Year is < CalendarRules.FirstYear or > CalendarRules.LastYear
            ? null
            : await session.Events.FetchForWriting<CalendarYearState>(CalendarYearState.IdFor(command.Year), ct);
        return new(CalendarRules.Decide(command, stream?.Aggregate, user.As(Roles.SystemAdmin)), stream);
    }

    public static ProblemDetails Validate(LoadCalendarYearContext context) => context.Decision.ToProblem();

    /// <summary>
    /// Loads a year's holiday arrangement from the State Council's notice: a year not shipped (e.g. 2027 once its notice
    /// appears), or a new revision of a year in force when the arrangement changes mid-year. Deadlines counted from now on
    /// use it; definite deadlines already recorded keep the calendar version they name, and provisional ones (counted
    /// into a year that was not loaded) are recomputed (<see cref="Inspections.ProvisionalDeadlineHandler"/>).
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/calendar/years"), Tags("Calendar")]
    public static (CalendarYearState, OutgoingMessages) Post(LoadCalendarYear command, [NotBody] LoadCalendarYearContext context)
    {
        var stream = context.Stream!;
        stream.AppendMany(context.Decision.Events);
        var folded = context.Decision.Events.Aggregate(stream.Aggregate, CalendarRules.Evolve)!;
        var state = folded with { Version = (stream.Aggregate?.Version ?? 0) + context.Decision.Events.Count };
        return (state, context.Decision.Events.Count > 0 ? [new Inspections.CalendarYearChanged(command.Year)] : []);
    }
}

public static class CalendarQueries
{
    /// <summary>The arrangement in force for each year known (shipped or loaded), with its version id and source.</summary>
    [WolverineGet("/api/calendar/years"), Tags("Calendar")]
    public static async Task<IReadOnlyList<CalendarYear>> Years(IQuerySession session, CancellationToken ct) =>
        (await CalendarSource.LoadAsync(session, ct)).Years;
}

/// <summary><c>GET /api/calendar/deadline</c>: the n-th working day strictly after a trigger date.</summary>
public static class DeadlineEndpoint
{
    public const int MaxWorkingDays = 1000;

    public static ProblemDetails Validate(DateOnly? trigger, int? workingDays)
    {
        var errors = new List<DomainError>();
        if (trigger is null)
            errors.Add(DomainError.Invalid("trigger", "trigger.required", "'trigger' is required: the date the period runs from (yyyy-MM-dd), which does not count itself."));
        if (workingDays is null or < 1 or > MaxWorkingDays)
            errors.Add(DomainError.Invalid("workingDays", "workingDays.range", $"'workingDays' is a whole number from 1 to {MaxWorkingDays}."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    /// <param name="trigger">The date the period runs from (yyyy-MM-dd); it does not count itself.</param>
    /// <param name="workingDays">How many working days, e.g. 20 for entering and publishing inspection results.</param>
    [WolverineGet("/api/calendar/deadline"), Tags("Calendar")]
    public static async Task<Deadline> Get(DateOnly? trigger, int? workingDays, IQuerySession session, CancellationToken ct) =>
        (await CalendarSource.LoadAsync(session, ct)).AddWorkingDays(trigger!.Value, workingDays!.Value);
}
