namespace Supervision.Api.Infrastructure.Rebuild;

internal static class Sql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<(string Name, string Definition)>> QueryPairsAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var pairs = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) pairs.Add((reader.GetString(0), reader.GetString(1)));
        return pairs;
    }

    /// <summary>The live table's primary key, same constraint name (names are per schema, so it is free in the green one).</summary>
    public static async Task CopyPrimaryKeyAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        foreach (var statement in await PrimaryKeyStatementsAsync(connection, liveSchema, greenSchema, table, ct)) await ExecuteAsync(connection, statement, ct);
    }

    /// <summary>The statements that add the live table's primary key to the green table (same constraint name).</summary>
    public static async Task<List<string>> PrimaryKeyStatementsAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        var keys = await QueryPairsAsync(connection,
            "select c.conname, pg_get_constraintdef(c.oid) from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace " +
            "where n.nspname = $1 and t.relname = $2 and c.contype = 'p'", ct, liveSchema, table);
        return keys.Select(k => $"alter table {greenSchema}.{table} add constraint {k.Name} {k.Definition}").ToList();
    }

    /// <summary>The statements that build the live table's other indexes on the green table, same names and definitions.</summary>
    public static async Task<List<string>> SecondaryIndexStatementsAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        var indexes = await QueryPairsAsync(connection,
            "select i.indexname, i.indexdef from pg_indexes i where i.schemaname = $1 and i.tablename = $2 " +
            "and not exists (select 1 from pg_constraint c join pg_class x on x.oid = c.conindid where x.relname = i.indexname and c.contype = 'p' " +
            "and c.connamespace = (select oid from pg_namespace where nspname = $1))", ct, liveSchema, table);
        var statements = new List<string>();
        foreach (var (_, definition) in indexes)
        {
            var on = $" ON {liveSchema}.{table} ";
            if (!definition.Contains(on, StringComparison.Ordinal)) throw new InvalidOperationException($"Cannot re-target index '{definition}'.");
            statements.Add(definition.Replace(on, $" ON {greenSchema}.{table} ", StringComparison.Ordinal));
        }
        return statements;
    }

    public static async Task<string?> TableCommentAsync(NpgsqlConnection connection, string schema, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select obj_description(($1 || '.' || $2)::regclass, 'pg_class')", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
