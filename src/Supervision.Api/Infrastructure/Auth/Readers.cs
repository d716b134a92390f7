namespace Supervision.Api.Infrastructure.Auth;

/// <summary>
/// Builds the <see cref="Reader"/> for the rules of <see cref="ReadAccess"/> and the places of departments (from <see cref="DepartmentCache"/>: departments
/// are few and rarely change), and answers an object outside the caller's scope exactly as a missing one: 404.
/// </summary>
public static class Readers
{
    public static async Task<(Reader Reader, IReadOnlyDictionary<Guid, DepartmentPlace> Places)> LoadAsync(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (departments, places) = await DepartmentCache.LoadAsync(session, ct);
        return (ReaderOf(user, departments), places);
    }

    /// <summary>The same from departments already read (e.g. in a command's batched query).</summary>
    public static (Reader Reader, IReadOnlyDictionary<Guid, DepartmentPlace> Places) From(ClaimsPrincipal user, IReadOnlyList<Department> departments)
    {
        var places = departments.ToDictionary(d => d.Id, d => new DepartmentPlace(d.Id, d.RegionCode));
        return (ReaderOf(user, departments), places);
    }

    private static Reader ReaderOf(ClaimsPrincipal user, IReadOnlyList<Department> departments)
    {
        var departmentId = Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var id) ? id : (Guid?)null;
        var mine = departmentId is { } d ? departments.FirstOrDefault(x => x.Id == d) : null;
        var roles = user.FindAll(AuthSettings.ClaimRole).Select(c => c.Value).Concat(user.FindAll(ClaimTypes.Role).Select(c => c.Value)).ToHashSet(StringComparer.Ordinal);
        return new Reader(user.FindFirstValue(AuthSettings.ClaimUserId) ?? "", roles, mine?.Id, mine?.RegionCode, mine?.Kind);
    }

    public static DepartmentPlace Place(this IReadOnlyDictionary<Guid, DepartmentPlace> places, Guid department) =>
        places.TryGetValue(department, out var place) ? place : new DepartmentPlace(department, "");

    /// <summary>
    /// One stream's current state if the caller may read it (<paramref name="mayRead"/>, the slice's rule of <see cref="ReadAccess"/>),
    /// else the answer for an id that does not exist: what every "read one" endpoint answers.
    /// </summary>
    public static async Task<IResult> ReadOneAsync<T>(Guid id, ClaimsPrincipal user, IDocumentSession session, string what,
        Func<Reader, IReadOnlyDictionary<Guid, DepartmentPlace>, T, bool> mayRead, CancellationToken ct) where T : class
    {
        var (reader, places) = await LoadAsync(user, session, ct);
        return await session.Events.FetchLatest<T>(id, ct) is { } found && mayRead(reader, places, found) ? Results.Ok(found) : NotFound(what);
    }

    /// <summary>The same answer as for an id that does not exist.</summary>
    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} with this id.");
}
