namespace Supervision.Api.Revisits;

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
