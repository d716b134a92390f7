using Supervision.Api.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

internal static class CaseAnswer
{
    public static ProblemDetails ToCaseProblem(this Decision decision) =>
        decision.Errors.FirstOrDefault(e => CaseRules.ForbiddenRules.Contains(e.Rule)) is { } forbidden
            ? ProblemResponses.Forbidden(forbidden)
            : decision.ToProblem();

    public static (InspectionCase, Events, OutgoingMessages) After(InspectionCase c, Decision decision, TimeProvider clock)
    {
        var next = decision.Events.Aggregate(c, (s, e) => CaseRules.Evolve(s, e)!) with { Version = c.Version + decision.Events.Count };
        var messages = new OutgoingMessages();
        foreach (var set in decision.Events.OfType<ResultDeadlineSet>()) messages.AddRange(CaseClock.Schedule(set.Deadline, c.Id, clock));
        foreach (var set in decision.Events.OfType<PublicationDeadlineSet>()) messages.AddRange(Disclosure.PublicationClock.Schedule(set.Deadline, c.Id, clock));
        return (next, new Events(decision.Events), messages);
    }
}

public static class RecordNoticeEndpoint
{
    public static Decision Load(RecordNotice command, InspectionCase inspectionCase, ClaimsPrincipal user) => CaseRules.Decide(command, inspectionCase, user.As(Roles.Inspector));
    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Record the inspection notice served on the target (number and date).</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/notices"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(RecordNotice command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class StartInspectionEndpoint
{
    public static Decision Load(StartInspection command, InspectionCase inspectionCase, ClaimsPrincipal user, TimeProvider clock) =>
        CaseRules.Decide(command, inspectionCase, CaseClock.Today(clock), user.As(Roles.Inspector));
    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Record the day the inspection started (the visit or the documentary check).</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/start"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(StartInspection command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class EndInspectionEndpoint
{
    public static async Task<Decision> LoadAsync(EndInspection command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await CalendarSource.LoadAsync(session, ct), CaseClock.Today(clock), user.As(Roles.Inspector));

    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Record the day the inspection ended and the methods used (on-site, documentary, online, commissioned).</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/end"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(EndInspection command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class AnswerCheckFormEndpoint
{
    public static async Task<Decision> LoadAsync(AnswerCheckForm command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await session.LoadAsync<CheckFormTemplate>(command.FormId, ct), user.As(Roles.Inspector));

    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Answer the items of a check form (检查表单) for a matter of the case.</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/forms"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(AnswerCheckForm command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class EnterResultEndpoint
{
    public static async Task<Decision> LoadAsync(EnterResult command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await ResultCatalogueSource.InForceForDepartmentAsync(session, ResultCatalogueSource.ResultDepartment(inspectionCase, user), ct),
            CaseClock.Today(clock), await CalendarSource.LoadAsync(session, ct), user.As(Roles.Inspector));

    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Enter the result for one matter of the case (谁检查、谁录入), coded from the result catalogue in force.</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/results"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(EnterResult command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class SubmitResultsEndpoint
{
    public static Decision Load(SubmitResults command, InspectionCase inspectionCase, ClaimsPrincipal user) => CaseRules.Decide(command, inspectionCase, user.As(Roles.Inspector));
    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Submit the department's results of the case for review.</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/submit"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(SubmitResults command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class ReviewResultsEndpoint
{
    /// <summary>The approval that makes every department's results approved also starts the publication clock (<see cref="PublicationDeadlines"/>).</summary>
    public static async Task<Decision> LoadAsync(ReviewResults command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock,
        CancellationToken ct)
    {
        var review = CaseRules.Decide(command, inspectionCase, user.As(Roles.Reviewer));
        return review.IsRejected || !command.Approve
            ? review
            : PublicationDeadlines.StartOnResultsFormed(inspectionCase, review, await CalendarSource.LoadAsync(session, ct), CaseClock.Today(clock));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Approve or return a department's submitted results (a reviewer who entered none of them).</summary>
    [Authorize(Roles = Roles.Reviewer)]
    [WolverinePost("/api/cases/{caseId}/review"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(ReviewResults command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}

public static class CorrectResultEndpoint
{
    /// <summary>A correction is a new revision: it uses the version in force now, and the revision it replaces keeps its own.</summary>
    public static async Task<Decision> LoadAsync(CorrectResult command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await ResultCatalogueSource.InForceForDepartmentAsync(session, ResultCatalogueSource.ResultDepartment(inspectionCase, user), ct),
            CaseClock.Today(clock), user.As(Roles.Inspector));

    public static ProblemDetails Validate(Decision decision) => decision.ToCaseProblem();

    /// <summary>Correct an approved result with the reason; the original stays in the history.</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/corrections"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(CorrectResult command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.After(inspectionCase, decision, clock);
}
