using Supervision.Api.Calendar;
using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;

namespace Supervision.Api.FollowUps;

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

    public static ProblemDetails Validate(OpenFollowUpContext context) => context.Decision.ToProblem();

    [Authorize(Roles = Roles.FollowUpHandler), WolverinePost("/api/cases/{caseId}/follow-ups"), Tags("FollowUps")]
    public static (CreationResponse<FollowUpCase>, IStartStream?, OutgoingMessages) Post(OpenFollowUp command, Guid caseId, [NotBody] OpenFollowUpContext context,
        TimeProvider clock)
    {
        var id = FollowUpCase.IdFor(caseId, command.MatterId);
        var (followUp, start) = CreationAnswers.StartedOrExisting(id, context.Existing, context.Decision);
        var overdue = context.Decision.Events.OfType<FollowUpOpened>().SelectMany(opened => FollowUpSchedule.Overdue(opened.Measures, id, clock));
        return (new CreationResponse<FollowUpCase>($"/api/follow-ups/{id}", followUp), start, [.. overdue]);
    }
}
