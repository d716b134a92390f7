using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Revisits;

public sealed partial class RevisitProjection : SingleStreamProjection<Revisit, Guid>
{
    public RevisitProjection()
    {
        IncludeType<CaseRevisited>();
        IncludeType<RevisitCorrected>();
    }

    public override Revisit? Evolve(Revisit? snapshot, Guid id, IEvent e) => RevisitRules.Evolve(snapshot, e.Data);
}

public sealed class RevisitModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<RevisitProjection>(ProjectionLifecycle.Inline);
        // Real columns for the summary's filter and grouping (GET /api/revisits/summary counts in SQL), and the case for its history.
        options.Schema.For<Revisit>().Duplicate(r => r.DepartmentId).Duplicate(r => r.VisitedOn).Index(r => r.CaseId);
    }
}

internal static class RevisitAnswer
{
    /// <summary>Who records a revisit: an enforcement officer or a reviewer of the department (never one of the case's inspectors).</summary>
    public const string Recorders = $"{Roles.Inspector},{Roles.Reviewer}";

    public static Actor Recorder(this ClaimsPrincipal user) => user.As(user.IsInRole(Roles.Inspector) ? Roles.Inspector : Roles.Reviewer);

    public static Func<Guid, Guid?> ParentOf(IReadOnlyList<Department> departments)
    {
        var parents = departments.ToDictionary(d => d.Id, d => d.ParentDepartmentId);
        return id => parents.GetValueOrDefault(id);
    }
}

public sealed record RecordRevisitContext(Decision Decision, Guid RevisitId);

/// <summary>
/// <c>POST /api/cases/{caseId}/revisits</c>: a revisit (随机抽查回访) of a completed case. A case the caller's department neither holds
/// nor is above answers 404 as a missing one (docs/access.md); the rules themselves are <see cref="RevisitRules"/>.
/// </summary>
public static class RecordRevisitEndpoint
{
    public static async Task<RecordRevisitContext> LoadAsync(RecordRevisit command, Guid caseId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var by = user.Recorder();
        var departments = await session.Query<Department>().ToListAsync(ct);
        var parentOf = RevisitAnswer.ParentOf(departments);
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase || RevisitRules.DepartmentChecked(inspectionCase, by.DepartmentId, parentOf) is not { } checkedDepartment)
            return new(Decision.Reject(DomainError.NotFound("caseId", "case.unknown", $"Case {caseId} does not exist.")), Guid.Empty);
        var catalogue = await ResultCatalogueSource.InForceForDepartmentAsync(session, checkedDepartment, ct);
        var id = Guid.CreateVersion7();
        return new(RevisitRules.Decide(command, id, inspectionCase, parentOf, catalogue, CaseClock.Today(clock), by), id);
    }

    public static ProblemDetails Validate(RecordRevisitContext context) => context.Decision.ToProblem();

    [Authorize(Roles = RevisitAnswer.Recorders)]
    [WolverinePost("/api/cases/{caseId}/revisits"), Tags("Revisits")]
    public static CreationResponse<Revisit> Post(RecordRevisit command, Guid caseId, [NotBody] RecordRevisitContext context, IDocumentSession session)
    {
        var recorded = (CaseRevisited)context.Decision.Events[0];
        session.Events.StartStream<Revisit>(context.RevisitId, recorded);
        return new CreationResponse<Revisit>($"/api/revisits/{context.RevisitId}", RevisitRules.Evolve(null, recorded)! with { Version = 1 });
    }
}

/// <summary><c>POST /api/revisits/{revisitId}/corrections</c>: a new event with a reason; the revisit as first recorded stays in its stream.</summary>
public static class CorrectRevisitEndpoint
{
    public static async Task<Decision> LoadAsync(CorrectRevisit command, Revisit revisit, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(revisit.CaseId, ct) is not { } inspectionCase)
            return Decision.Reject(DomainError.NotFound("revisitId", "revisit.unknown", "No revisit with this id."));
        var catalogue = await ResultCatalogueSource.InForceForDepartmentAsync(session, revisit.DepartmentId, ct);
        return RevisitRules.Decide(command, revisit, inspectionCase, catalogue, CaseClock.Today(clock), user.Recorder());
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    [Authorize(Roles = RevisitAnswer.Recorders)]
    [WolverinePost("/api/revisits/{revisitId}/corrections"), Tags("Revisits")]
    public static (Revisit, Events) Post(CorrectRevisit command, [WriteAggregate("revisitId")] Revisit revisit, Decision decision) =>
        (decision.Events.Aggregate(revisit, (s, e) => RevisitRules.Evolve(s, e)!) with { Version = revisit.Version + decision.Events.Count }, new Events(decision.Events));
}

/// <param name="ProblemMissedShare">Revisits that found a problem the inspection missed over all revisits, 0–1 (4 decimals); null without revisits.</param>
public sealed record RevisitDepartmentFigures(Guid DepartmentId, string? DepartmentName, long Revisits, long ProblemsMissed, decimal? ProblemMissedShare);

public sealed record RevisitSummary(DateOnly From, DateOnly To, IReadOnlyList<RevisitDepartmentFigures> Departments);

public static class RevisitQueries
{
    public static ProblemDetails Validate(DateOnly? from, DateOnly? to)
    {
        var errors = new List<DomainError>();
        if (from is null) errors.Add(DomainError.Invalid("from", "from.required", "'from' is the first visit day counted (yyyy-MM-dd)."));
        if (to is null) errors.Add(DomainError.Invalid("to", "to.required", "'to' is the last visit day counted (yyyy-MM-dd)."));
        if (from > to) errors.Add(DomainError.Invalid("to", "period.order", "'to' is on or after 'from'."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Per department the caller may read the cases of (<see cref="ReadScopes.Revisits"/>): revisits made in the period (by visit day)
    /// and the share that found a problem the inspection missed. Counted in PostgreSQL over the revisit read model.
    /// </summary>
    [WolverineGet("/api/revisits/summary"), Tags("Revisits")]
    public static async Task<RevisitSummary> Summary(DateOnly? from, DateOnly? to, ClaimsPrincipal user, IQuerySession session, SupervisionSettings settings, CancellationToken ct)
    {
        var departments = await session.Query<Department>().ToListAsync(ct);
        var (reader, places) = Readers.From(user, departments);
        var scope = ReadScopes.Revisits(reader, places);
        var table = $"{settings.Schema}.mt_doc_revisit";
        var parameterNumber = 2;
        var condition = System.Text.RegularExpressions.Regex.Replace(scope.Sql, @"\?", _ => "$" + ++parameterNumber);
        var sql = $"""
            select d.department_id, count(*), count(*) filter (where (d.data ->> 'ProblemMissed')::boolean)
            from {table} d
            where d.visited_on between $1 and $2 and {condition}
            group by d.department_id
            """;

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from!.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = to!.Value });
        foreach (var parameter in scope.Parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var names = departments.ToDictionary(d => d.Id, d => d.Name);
        var figures = new List<RevisitDepartmentFigures>();
        await using (var rows = await command.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct))
            {
                var (department, count, missed) = (rows.GetGuid(0), rows.GetInt64(1), rows.GetInt64(2));
                figures.Add(new(department, names.GetValueOrDefault(department), count, missed, count == 0 ? null : Math.Round((decimal)missed / count, 4)));
            }
        return new RevisitSummary(from.Value, to.Value, figures.OrderBy(f => f.DepartmentName, StringComparer.Ordinal).ThenBy(f => f.DepartmentId).ToList());
    }
}
