using System.Runtime.CompilerServices;

namespace Supervision.Api.Infrastructure.Auth;

/// <summary>
/// The departments every scoped request needs (issue 14: <see cref="Readers.LoadAsync"/> used to read and deserialise every department
/// document on every request). Kept per document store and checked on every use against a one-row stamp of the table (row count and a
/// sum of hashes of each row's id, version and last-modified time), computed before the documents are read: any registration, change or
/// removal on any node changes the stamp, and the next request reads the departments again. A stamp read before the documents can only
/// make the cache newer than its stamp, never older, so a change is never missed.
/// </summary>
public static class DepartmentCache
{
    private sealed record Snapshot(string Stamp, IReadOnlyList<Department> Departments, IReadOnlyDictionary<Guid, DepartmentPlace> Places);

    private static readonly ConditionalWeakTable<IDocumentStore, Snapshot> Snapshots = new();

    public static async Task<(IReadOnlyList<Department> Departments, IReadOnlyDictionary<Guid, DepartmentPlace> Places)> LoadAsync(IQuerySession session, CancellationToken ct)
    {
        var table = session.DocumentStore.Options.Schema.For<Department>();
        var stamp = (await session.QueryAsync<string>(
            $"select count(*)::text || '/' || coalesce(sum(hashtextextended(d.id::text || '|' || d.mt_version::text || '|' || d.mt_last_modified::text, 0)), 0)::text from {table} d",
            ct)).Single();
        if (Snapshots.TryGetValue(session.DocumentStore, out var cached) && cached.Stamp == stamp) return (cached.Departments, cached.Places);
        var departments = await session.Query<Department>().ToListAsync(ct);
        var snapshot = new Snapshot(stamp, departments, departments.ToDictionary(d => d.Id, d => new DepartmentPlace(d.Id, d.RegionCode)));
        Snapshots.AddOrUpdate(session.DocumentStore, snapshot);
        return (snapshot.Departments, snapshot.Places);
    }
}
