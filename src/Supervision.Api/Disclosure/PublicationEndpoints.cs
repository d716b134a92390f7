using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Disclosure;

public sealed partial class ResultPublicationProjection : SingleStreamProjection<ResultPublication, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public ResultPublicationProjection()
    {
        IncludeType<FollowUpOutcomeDisclosed>();
        IncludeType<PublicationCorrected>();
        IncludeType<PublicationRevisionWithdrawn>();
        IncludeType<ResultPublished>();
        IncludeType<ResultWithheld>();
    }

    public override ResultPublication? Evolve(ResultPublication? snapshot, Guid id, IEvent e) => PublicationRules.Evolve(snapshot, e.Data);
}

public sealed class DisclosureModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<ResultPublicationProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<ResultPublication>().Index(p => p.CaseId);
        options.Events.AddEventType<PublicationDateFlagged>();
        PublicResultSearch.Index(options);
    }
}

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

    public static ProblemDetails ToPublicationProblem(this Decision decision) =>
        decision.Errors.FirstOrDefault(e => e.Rule == "publication.department") is { } forbidden ? ProblemResponses.Forbidden(forbidden) : decision.ToProblem();

    public static PublicationContext Missing(Guid caseId) =>
        new(Decision.Reject(DomainError.NotFound("caseId", "case.unknown", $"Case {caseId} does not exist.")), null);
}

/// <summary><c>POST /api/cases/{caseId}/publication</c>: an explicit, recorded act of disclosure (一公开); the public copy is frozen.</summary>
public static class PublishResultEndpoint
{
    public static async Task<PublicationContext> LoadAsync(PublishResult command, Guid caseId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await PublicationLoading.SourcesAsync(session, caseId, ct) is not { } sources) return PublicationLoading.Missing(caseId);
        var existing = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(caseId), ct);
        return new(PublicationRules.Decide(command, existing, sources, user.As(user.IsInRole(Roles.Approver) ? Roles.Approver : Roles.Reviewer),
            Inspections.CaseClock.Today(clock)), existing);
    }

    public static ProblemDetails Validate(PublicationContext context) => context.Decision.ToPublicationProblem();

    [Authorize(Roles = $"{Roles.Reviewer},{Roles.Approver}")]
    [WolverinePost("/api/cases/{caseId}/publication"), Tags("Disclosure")]
    public static ResultPublication Post(PublishResult command, Guid caseId, [NotBody] PublicationContext context, IDocumentSession session)
    {
        if (context.Decision.Events.Count == 0) return context.Existing!;
        var published = (ResultPublished)context.Decision.Events[0];
        session.Events.StartStream<ResultPublication>(published.PublicationId, context.Decision.Events.ToArray());
        return context.Decision.Events.Aggregate((ResultPublication?)null, PublicationRules.Evolve)! with { Version = context.Decision.Events.Count };
    }
}

public static class CorrectPublicationEndpoint
{
    public static async Task<Decision> LoadAsync(CorrectPublication command, ResultPublication publication, ClaimsPrincipal user, IQuerySession session, TimeProvider clock,
        CancellationToken ct) =>
        await PublicationLoading.SourcesAsync(session, publication.CaseId, ct) is { } sources
            ? PublicationRules.Decide(command, publication, sources, user.As(user.IsInRole(Roles.Approver) ? Roles.Approver : Roles.Reviewer), Inspections.CaseClock.Today(clock))
            : PublicationLoading.Missing(publication.CaseId).Decision;

    public static ProblemDetails Validate(Decision decision) => decision.ToPublicationProblem();

    /// <summary>Correct a publication: a new public revision with the reason and any redaction; earlier revisions stay visible as history.</summary>
    [Authorize(Roles = $"{Roles.Reviewer},{Roles.Approver}")]
    [WolverinePost("/api/publications/{publicationId}/corrections"), Tags("Disclosure")]
    public static (ResultPublication, Events) Post(CorrectPublication command, [WriteAggregate("publicationId")] ResultPublication publication, Decision decision) =>
        (decision.Events.Aggregate(publication, (s, e) => PublicationRules.Evolve(s, e)!) with { Version = publication.Version + decision.Events.Count }, new Events(decision.Events));
}

/// <summary>依法依规不适合公开: recorded with its legal basis and the approver, and counted; nothing reaches the public.</summary>
public static class WithholdResultEndpoint
{
    public static async Task<PublicationContext> LoadAsync(WithholdResult command, Guid caseId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase) return PublicationLoading.Missing(caseId);
        var existing = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(caseId), ct);
        return new(PublicationRules.Decide(command, existing, inspectionCase, inspectionCase.Departments[0].DepartmentId, user.As(Roles.Approver)), existing);
    }

    public static ProblemDetails Validate(PublicationContext context) => context.Decision.ToPublicationProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/cases/{caseId}/publication/withhold"), Tags("Disclosure")]
    public static ResultPublication Post(WithholdResult command, Guid caseId, [NotBody] PublicationContext context, IDocumentSession session)
    {
        if (context.Decision.Events.Count == 0) return context.Existing!;
        var withheld = (ResultWithheld)context.Decision.Events[0];
        session.Events.StartStream<ResultPublication>(withheld.PublicationId, withheld);
        return PublicationRules.Evolve(null, withheld)! with { Version = 1 };
    }
}

/// <summary>
/// <c>POST /api/publications/{publicationId}/revisions/{revision}/withdraw</c>: a superseded revision leaves public view (search, pages,
/// public history), recorded with ground and legal basis (<see cref="PublicationRevisionWithdrawn"/>); only the publishing department's approver.
/// </summary>
public static class WithdrawRevisionEndpoint
{
    public static Decision Load(WithdrawRevision command, int revision, ResultPublication publication, ClaimsPrincipal user) =>
        PublicationRules.Decide(command, revision, publication, user.As(Roles.Approver));

    public static ProblemDetails Validate(Decision decision) => decision.ToPublicationProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/publications/{publicationId}/revisions/{revision}/withdraw"), Tags("Disclosure")]
    public static (ResultPublication, Events) Post(WithdrawRevision command, int revision, [WriteAggregate("publicationId")] ResultPublication publication, Decision decision) =>
        (decision.Events.Aggregate(publication, (s, e) => PublicationRules.Evolve(s, e)!) with { Version = publication.Version + decision.Events.Count }, new Events(decision.Events));
}

public sealed record PublicResultEntry(Guid PublicationId, PublicResult Current, IReadOnlyList<PublicResult> History);

public static class PublicResultQueries
{
    /// <summary>
    /// Published results, anonymously, by credit code, entity name, plan number, authority or date range, newest first, a page at a
    /// time (<see cref="Paging"/>; the number of all matches in the <c>X-Total-Count</c> header). Only the frozen public copies are
    /// read: withheld results and redacted fields never appear, nor inspectors or credit classes.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/results"), Tags("Public")]
    public static async Task<IReadOnlyList<PublicResultEntry>> Search([ReadReplica] Npgsql.NpgsqlConnection connection, PublicResultSearch.Storage storage, HttpResponse response,
        string? creditCode, string? name, string? planNumber, string? authority, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size) = Paging.Normalize(page, pageSize);
        var (items, total) = await PublicResultSearch.SearchAsync(connection, storage, new PublicResultFilter(creditCode, name, planNumber, authority, from, to), number, size, ct);
        // The body stays a plain list (its shape before paging); how many match in all travels beside it.
        response.Headers[TotalCountHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return items;
    }

    public const string TotalCountHeader = "X-Total-Count";
}
