using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class AnswerCheckFormEndpoint
{
    public static async Task<Decision> LoadAsync(AnswerCheckForm command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await session.LoadAsync<CheckFormTemplate>(command.FormId, ct), user.Inspector());

    /// <summary>Answer the items of a check form (检查表单) for a matter of the case.</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/forms"), Tags("Cases")]
    public static (InspectionCase, Events) Post(AnswerCheckForm command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
