using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

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
