using Supervision.Api.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class ReviewResultsEndpoint
{
    /// <summary>The approval that makes every department's results approved also starts the publication clock (<see cref="PublicationDeadlines"/>).</summary>
    public static async Task<Decision> LoadAsync(ReviewResults command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock,
        CancellationToken ct)
    {
        var review = CaseRules.Decide(command, inspectionCase, user.Reviewer());
        return review.IsRejected || !command.Approve
            ? review
            : PublicationDeadlines.StartOnResultsFormed(inspectionCase, review, await CalendarSource.LoadAsync(session, ct), CaseClock.Today(clock));
    }

    /// <summary>Approve or return a department's submitted results (a reviewer who entered none of them).</summary>
    [Authorize(Roles = Roles.Reviewer), WolverinePost("/api/cases/{caseId}/review"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(ReviewResults command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.StateAfter(inspectionCase, decision, clock);
}
