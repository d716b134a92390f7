using System.Text;
using JasperFx;
using Weasel.Core;
using Weasel.Core.Migrations;

// IDatabase.Identifier is marked obsolete in favour of an Id object whose shape differs per store; the string is all a log line needs.
#pragma warning disable CS0618

namespace Supervision.Api.Infrastructure.Schema;

/// <summary>
/// The schema as reviewed SQL files in <c>eventstore-migrations/</c>: the difference between the model (Marten
/// documents, event store, projections, Wolverine's envelope tables) and a database is written as the next file,
/// and a database with every file applied must show no difference (the drift test checks exactly that).
/// </summary>
public static class SchemaMigrations
{
    public static async Task<IReadOnlyList<IDatabase>> DatabasesAsync(IServiceProvider services)
    {
        var databases = new List<IDatabase>();
        foreach (var source in services.GetServices<IDatabaseSource>())
        {
            databases.AddRange(await source.BuildDatabases());
        }
        return databases.DistinctBy(d => d.Identifier).ToList();
    }

    /// <summary>The SQL that brings the configured database up to the model, or an empty string when it already matches.</summary>
    public static async Task<string> PendingPatchAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var script = new StringBuilder();
        foreach (var database in await DatabasesAsync(services))
        {
            var migration = await database.CreateMigrationAsync(ct);
            if (migration.Difference == SchemaPatchDifference.None) continue;
            await using var writer = new StringWriter();
            migration.WriteAllUpdates(writer, database.Migrator, AutoCreate.CreateOrUpdate);
            script.AppendLine($"-- {database.Identifier}");
            script.AppendLine(writer.ToString().Trim());
        }
        return script.ToString();
    }

    /// <summary><c>schema-patch &lt;file&gt;</c>: writes the pending patch to a file (nothing when there is none). Used by ops/db.sh.</summary>
    public static async Task<int> RunPatchCommandAsync(WebApplication app, string file)
    {
        var patch = await PendingPatchAsync(app.Services);
        if (patch.Length == 0)
        {
            Console.Error.WriteLine("The database already matches the model: no migration needed.");
            return 0;
        }
        await File.WriteAllTextAsync(file, patch);
        Console.Error.WriteLine($"Wrote {file}; review it, then commit it with the change that needed it.");
        return 0;
    }
}
