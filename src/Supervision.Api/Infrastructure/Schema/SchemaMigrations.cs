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

/// <summary>
/// Applies the files of <c>eventstore-migrations/</c> in name order, each once and in its own transaction, and
/// records them (name and SHA-256) in <c>public.supervision_schema_migrations</c>. A file changed after it was applied
/// is refused: migrations are append-only, like the events they create tables for.
/// </summary>
public static class MigrationFiles
{
    private const string Ledger = "public.supervision_schema_migrations";

    public static IReadOnlyList<string> InOrder(string directory) =>
        Directory.GetFiles(directory, "*.sql").Order(StringComparer.Ordinal).ToList();

    public static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, string directory, CancellationToken ct = default)
    {
        var applied = new List<string>();
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var create = new Npgsql.NpgsqlCommand(
            $"create table if not exists {Ledger} (file text primary key, sha256 text not null, applied_at timestamptz not null default now())", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        foreach (var path in InOrder(directory))
        {
            var name = Path.GetFileName(path);
            var sql = await File.ReadAllTextAsync(path, ct);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(sql)));

            await using var transaction = await connection.BeginTransactionAsync(ct);
            // One applier at a time, on any node: the ledger row lock serialises concurrent runs.
            await using (var lockLedger = new Npgsql.NpgsqlCommand($"lock table {Ledger} in exclusive mode", connection, transaction))
            {
                await lockLedger.ExecuteNonQueryAsync(ct);
            }
            await using (var find = new Npgsql.NpgsqlCommand($"select sha256 from {Ledger} where file = @file", connection, transaction))
            {
                find.Parameters.AddWithValue("file", name);
                if (await find.ExecuteScalarAsync(ct) is string recorded)
                {
                    if (recorded != hash)
                        throw new InvalidOperationException($"{name} was changed after it was applied (sha256 {recorded} then, {hash} now). Add a new migration instead.");
                    await transaction.RollbackAsync(ct);
                    continue;
                }
            }
            // No command timeout: a migration may recount a province's read models (0037 refills the dashboard rollups from
            // 200,000 cases), which takes longer than Npgsql's default 30 s and would otherwise roll back every time.
            await using (var run = new Npgsql.NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 })
            {
                await run.ExecuteNonQueryAsync(ct);
            }
            await using (var record = new Npgsql.NpgsqlCommand($"insert into {Ledger} (file, sha256) values (@file, @sha)", connection, transaction))
            {
                record.Parameters.AddWithValue("file", name);
                record.Parameters.AddWithValue("sha", hash);
                await record.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            applied.Add(name);
        }
        return applied;
    }
}
