using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

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
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/calendar/years"), Tags("Calendar")]
    public static (CalendarYearState, OutgoingMessages) Post(LoadCalendarYear command, [NotBody] LoadCalendarYearContext context)
    {
        var stream = context.Stream!;
        stream.AppendMany(context.Decision.Events);
        var folded = context.Decision.Events.Aggregate(stream.Aggregate, CalendarRules.Evolve)!;
        var state = folded with { Version = (stream.Aggregate?.Version ?? 0) + context.Decision.Events.Count };
        return (state, context.Decision.Events.Count > 0 ? [new Inspections.CalendarYearChanged(command.Year)] : []);
    }
}
