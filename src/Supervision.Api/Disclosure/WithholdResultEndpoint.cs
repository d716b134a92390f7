using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Disclosure;

/// <summary>依法依规不适合公开: recorded with its legal basis and the approver, and counted; nothing reaches the public.</summary>
public static class WithholdResultEndpoint
{
    public static async Task<PublicationContext> LoadAsync(WithholdResult command, Guid caseId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase) return PublicationLoading.Missing(caseId);
        var existing = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(caseId), ct);
        return new(PublicationRules.Decide(command, existing, inspectionCase, inspectionCase.Departments[0].DepartmentId, user.As(Roles.Approver)), existing);
    }

    public static ProblemDetails Validate(PublicationContext context) => context.Decision.ToProblem();

    [Authorize(Roles = Roles.Approver), WolverinePost("/api/cases/{caseId}/publication/withhold"), Tags("Disclosure")]
    public static (ResultPublication, IStartStream?) Post(WithholdResult command, Guid caseId, [NotBody] PublicationContext context) =>
        CreationAnswers.StartedOrExisting(ResultPublication.IdFor(caseId), context.Existing, context.Decision);
}
