using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Disclosure;

public sealed record PublicationContext(Decision Decision, ResultPublication? Existing);

internal static class PublicationLoading
{
    public static async Task<PublicationSources?> SourcesAsync(IQuerySession session, Guid caseId, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase) return null;
        var plan = (await session.LoadAsync<AnnualPlan>(inspectionCase.PlanId, ct))!;
        var target = (await session.LoadAsync<Target>(inspectionCase.TargetId, ct))!;
        var authority = await session.LoadAsync<Department>(inspectionCase.Departments[0].DepartmentId, ct);
        var matters = await session.LoadManyAsync<InspectionMatter>(ct, inspectionCase.Departments.SelectMany(d => d.Matters).Select(m => m.MatterId).Distinct().ToArray());
        return new PublicationSources(inspectionCase, plan, target, authority?.Name ?? "", matters.ToDictionary(m => m.Id),
            await Inspections.ResultCatalogueSource.AllAsync(session, ct), await BackFilledOutcomesAsync(session, inspectionCase.Id, ct));
    }

    /// <summary>The case's follow-up outcomes on record, each with the name of the department that decided it (the measure's owner).</summary>
    private static async Task<IReadOnlyList<PublicFollowUpOutcome>> BackFilledOutcomesAsync(IQuerySession session, Guid caseId, CancellationToken ct)
    {
        var followUps = await session.Query<Supervision.Domain.FollowUps.FollowUpCase>().Where(f => f.CaseId == caseId).ToListAsync(ct);
        var done = followUps.SelectMany(f => f.Measures.Where(m => m.Outcome is not null && m.CompletedOn is not null).Select(m => (FollowUp: f, Measure: m))).ToList();
        if (done.Count == 0) return [];
        var owners = (await session.LoadManyAsync<Department>(ct, done.Select(d => d.Measure.OwnerDepartmentId).Distinct().ToArray())).ToDictionary(d => d.Id, d => d.Name);
        return done.Select(d => new PublicFollowUpOutcome(d.FollowUp.Id, d.Measure.Number, d.Measure.Kind, d.Measure.Outcome!, d.Measure.CompletedOn!.Value,
            owners.GetValueOrDefault(d.Measure.OwnerDepartmentId, ""))).ToList();
    }

    public static PublicationContext Missing(Guid caseId) =>
        new(Decision.Reject(DomainError.NotFound("caseId", "case.unknown", $"Case {caseId} does not exist.")), null);
}
