namespace Supervision.Api.Infrastructure.Auth;

/// <summary>
/// The rules of <see cref="ReadAccess"/> as SQL conditions on the documents (alias <c>d</c>), so a listing filters its caller's scope in
/// PostgreSQL instead of loading everything. Nothing is re-stated: every rule is "some department of the record passes the rule for that
/// department alone" or "the caller is named in the record", so the departments are found by asking <see cref="ReadAccess"/> itself of
/// each known department (departments are few), and the SQL only tests membership.
/// </summary>
public static class ReadScopes
{
    /// <summary>A condition with its <c>?</c> parameters, for Marten's <c>MatchesSql</c>.</summary>
    public sealed record SqlCondition(string Sql, object[] Parameters);

    private static readonly SqlCondition Nothing = new("false", []);

    /// <summary>A place that is none of the caller's, in no region: the rule then holds only through the other arguments.</summary>
    private static DepartmentPlace Elsewhere => new(Guid.Empty, "");

    private static Guid[] Departments(IReadOnlyDictionary<Guid, DepartmentPlace> places, Func<DepartmentPlace, bool> rule) =>
        places.Values.Where(rule).Select(p => p.Id).ToArray();

    private static string AnyOf(string departmentIds) => $"exists (select 1 from jsonb_array_elements_text({departmentIds}) v where v::uuid = any(?))";

    private static SqlCondition Or(params (bool Applies, string Sql, object[] Parameters)[] parts)
    {
        var applying = parts.Where(p => p.Applies).ToList();
        return applying.Count == 0 ? Nothing : new("(" + string.Join(" or ", applying.Select(p => p.Sql)) + ")", [.. applying.SelectMany(p => p.Parameters)]);
    }

    /// <summary><see cref="ReadAccess.MayReadCase"/>: a department of the case in scope, or the caller on its team in their own department.</summary>
    public static SqlCondition Cases(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places)
    {
        var departments = Departments(places, p => ReadAccess.MayReadCase(reader, [p], []));
        var onTeam = reader.DepartmentId is { } mine && ReadAccess.MayReadCase(reader, [], [(reader.UserId, mine)]);
        return Or(
            (departments.Length > 0, AnyOf("jsonb_path_query_array(d.data, '$.Departments[*].DepartmentId')"), [departments]),
            // Identity.Same: trimmed, case ignored (ASCII: staff codes and user ids are ASCII, as PostgreSQL's lower under the C character type).
            (onTeam, "exists (select 1 from jsonb_array_elements(d.data -> 'Team') m where (m ->> 'DepartmentId')::uuid = ? and lower(btrim(m ->> 'StaffCode')) = ?)",
                [reader.DepartmentId ?? Guid.Empty, AsciiLower(reader.UserId.Trim())]));
    }

    /// <summary>
    /// <see cref="ReadAccess.MayReadPlanning"/> of a plan: its department in scope (own staff, the region's office, 纪检 and auditors above),
    /// or the caller's department a participant of one of its tasks (staff).
    /// </summary>
    public static SqlCondition Plans(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places)
    {
        var owners = Departments(places, p => ReadAccess.MayReadPlanning(reader, p, []));
        var participant = reader.DepartmentId is { } mine && ReadAccess.MayReadPlanning(reader, Elsewhere, [mine]);
        return Or(
            (owners.Length > 0, "(d.data ->> 'DepartmentId')::uuid = any(?)", [owners]),
            (participant, AnyOf("jsonb_path_query_array(d.data, '$.Tasks[*].Definition.Participants[*].DepartmentId')"), [new[] { reader.DepartmentId ?? Guid.Empty }]));
    }

    /// <summary>
    /// <see cref="ReadAccess.MayReadPlanning"/> of a draw: its department in scope, or the caller's department a participant of the draw's
    /// task (the first task of its plan with that number, as <c>AnnualPlan.Task</c> finds it).
    /// </summary>
    public static SqlCondition Draws(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places, string planTable)
    {
        var owners = Departments(places, p => ReadAccess.MayReadPlanning(reader, p, []));
        var participant = reader.DepartmentId is { } mine && ReadAccess.MayReadPlanning(reader, Elsewhere, [mine]);
        return Or(
            (owners.Length > 0, "(d.data ->> 'DepartmentId')::uuid = any(?)", [owners]),
            (participant, $"""
                exists (select 1 from {planTable} p
                    cross join lateral (select t from jsonb_array_elements(p.data -> 'Tasks') with ordinality as tasks(t, n)
                                        where t ->> 'Number' = d.data ->> 'TaskNumber' order by n limit 1) task
                    where p.id = (d.data ->> 'PlanId')::uuid
                      and exists (select 1 from jsonb_array_elements(task.t -> 'Definition' -> 'Participants') x where (x ->> 'DepartmentId')::uuid = ?))
                """, [reader.DepartmentId ?? Guid.Empty]));
    }

    /// <summary><see cref="ReadAccess.MayReadFollowUp"/>: the department that opened it or one a measure was handed to in scope.</summary>
    public static SqlCondition FollowUps(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places)
    {
        var departments = Departments(places, p => ReadAccess.MayReadFollowUp(reader, [p]));
        return Or(
            (departments.Length > 0, "((d.data ->> 'DepartmentId')::uuid = any(?) or " + AnyOf("jsonb_path_query_array(d.data, '$.Measures[*].OwnerDepartmentId')") + ")",
                [departments, departments]));
    }

    /// <summary>
    /// Revisits (回访), counted under the case's department they checked: read as that department's cases are by department
    /// (<see cref="ReadAccess.MayReadCase"/>: its staff, 纪检 and auditors above it), on the read model's <c>department_id</c> column.
    /// </summary>
    public static SqlCondition Revisits(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places)
    {
        var departments = Departments(places, p => ReadAccess.MayReadCase(reader, [p], []));
        return Or((departments.Length > 0, "d.department_id = any(?)", [departments]));
    }

    /// <summary>
    /// <see cref="ReadAccess.MayReadProgressReport"/>: the filings of the departments the caller may read progress reports of, on the read
    /// model's <c>department_id</c> column; <see cref="ProgressReportDepartments"/> are the same departments, for the units not yet filed.
    /// </summary>
    public static SqlCondition ProgressReports(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places)
    {
        var departments = ProgressReportDepartments(reader, places);
        return Or((departments.Length > 0, "d.department_id = any(?)", [departments]));
    }

    public static Guid[] ProgressReportDepartments(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places) =>
        Departments(places, p => ReadAccess.MayReadProgressReport(reader, p));

    private static string AsciiLower(string value) =>
        string.Create(value.Length, value, (span, v) => { for (var i = 0; i < v.Length; i++) span[i] = v[i] is >= 'A' and <= 'Z' ? (char)(v[i] + 32) : v[i]; });
}
