using System.Data.Common;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Supervision.Api.Dashboards;

/// <summary>
/// The rollups as part of the schema model: the migration that creates them (and the drift test) sees them; the fingerprint comment
/// and the presence of the case trigger tell whether the database holds the current definition.
/// </summary>
public sealed class DashboardRollupSchema(string schema) : ISchemaObject
{
    public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, "dashboard_rollup", Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(DashboardRollup.CreateSql(schema));

    public void WriteDropStatement(Migrator rules, TextWriter writer) => writer.WriteLine(DashboardRollup.DropSql(schema));

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
    {
        builder.Append($"""
            select coalesce(obj_description(to_regclass('{schema}.dashboard_rollup'), 'pg_class'), '')
              || case when exists (select 1 from pg_trigger where tgname = 'dashboard_case_changed' and tgrelid = to_regclass('{schema}.mt_doc_casefact'))
                 then '' else ' without triggers' end;
            """);
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var found = await reader.ReadAsync(ct) ? reader.GetString(0) : "";
        var difference = found == DashboardRollup.Fingerprint(schema) ? SchemaPatchDifference.None
            : found.StartsWith("dashboard rollup", StringComparison.Ordinal) ? SchemaPatchDifference.Update : SchemaPatchDifference.Create;
        return new SchemaObjectDelta(this, difference);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
