using System.Security.Cryptography;

namespace Supervision.Api.Dashboards;

/// <summary>
/// The dashboards' rollups (issue 14: a province's year answers in a few milliseconds, not by reading its 200,000 cases). Every figure
/// is kept per <em>scope key</em> — a department (<c>d:{id}</c>), a region its departments lie in (<c>r:{code}</c>, the region and each
/// region above it) and, for a region's coverage, the region a target lies in (<c>l:{code}</c>) — so a region's dashboard reads its
/// own rows and a joint case counts once in a region whatever number of its departments lie there, as the reference counts it.
/// <list type="bullet">
/// <item><c>dashboard_rollup</c>: case and follow-up-measure counts per key, kind, month (and day, for the few "before today" figures)
/// and the year the case was opened (a dashboard of year Y counts cases opened from 1 January of Y−1, as the reference loads them).</item>
/// <item><c>dashboard_target_mask</c> / <c>dashboard_mask_count</c>: for the figures that count entities once (inspected, joint,
/// with a problem, covered), each target's months per key and year as three 12-bit masks, and how many targets have each mask:
/// the entities of any month, quarter or year are the targets whose mask meets the period's months.</item>
/// <item><c>dashboard_case_state</c> / <c>dashboard_followup_state</c>: what each case and follow-up last contributed, so a change
/// subtracts exactly that and adds the new contribution.</item>
/// <item><c>dashboard_publication_due</c>: the publication deadline (20 working days) of each day results can be formed on, written
/// from the C# calendar (<see cref="DashboardSql"/> compares it with the calendar on every request and corrects it, and the cases it
/// moves, when a holiday notice changed the calendar).</item>
/// </list>
/// Triggers on the fact tables (<c>mt_doc_casefact</c>, <c>mt_doc_publicationfact</c>, <c>mt_doc_followupfact</c>, the targets'
/// and departments' tables) keep them in the transaction that writes the facts, whoever writes them (inline projections, Marten's
/// bulk insert, a document stored directly). A write that bypasses triggers (COPY into a table swapped in by the one-pass rebuild,
/// <c>session_replication_role = replica</c>) is followed by <see cref="RebuildSql"/>, which recomputes everything from the facts
/// (the migration that creates them runs it too, so a database upgraded in place answers right).
/// </summary>
public static partial class DashboardRollup
{
    /// <summary>Recomputes every rollup from the fact tables (set-based; takes an exclusive lock on the rollup tables while it runs).</summary>
    public static string RebuildSql(string schema) => $"select {schema}.dashboard_rollup_rebuild();";

    /// <summary>The hook for the one-pass rebuild: after fact tables were swapped in (their triggers re-created), refill the rollups.</summary>
    public static async Task RebuildAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(InstallSql(schema) + RebuildSql(schema), connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Folds the rollups' delta rows (see <c>dashboard_rollup_compact</c>); returns the rows written.</summary>
    public static async Task<int> CompactAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {schema}.dashboard_rollup_compact()", connection) { CommandTimeout = 0 };
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Tables, functions and triggers; idempotent (tables kept, functions replaced, triggers re-created).</summary>
    public static string InstallSql(string s) => string.Join("\n", CountingSql(s), RebuildingSql(s), TriggersSql(s));

    private static string MasksQuery(string s, string which) => $"""
        select s.target_id, k.key, extract(year from s.ended_on)::int,
                 bit_or(1 << (extract(month from s.ended_on)::int - 1)),
                 coalesce(bit_or(1 << (extract(month from s.ended_on)::int - 1)) filter (where s.joint and k.key not like 'l:%'), 0),
                 coalesce(bit_or(1 << (extract(month from s.ended_on)::int - 1)) filter (where s.problem and k.key not like 'l:%'), 0)
          from {s}.dashboard_case_state s
          left join {s}.mt_doc_target t on t.id = s.target_id
          cross join lateral unnest(s.keys || {s}.dashboard_region_keys(t.data ->> 'RegionCode', 'l:')) k(key)
          where {which} and not s.withdrawn and s.ended_on is not null and s.opened_year >= extract(year from s.ended_on)::int - 1
          group by 1, 2, 3
        """;

    /// <summary>The fingerprint of <see cref="InstallSql"/>: kept as the rollup table's comment, so the schema check sees a changed definition.</summary>
    public static string Fingerprint(string schema) =>
        "dashboard rollup " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(InstallSql("{schema}"))))[..16];

    /// <summary>What the migration (and a development start) runs: install, mark, and fill from the facts already stored.</summary>
    public static string CreateSql(string schema) =>
        InstallSql(schema) + $"comment on table {schema}.dashboard_rollup is '{Fingerprint(schema)}';\n" + RebuildSql(schema) + "\n";

    public static string DropSql(string s) => $"""
        drop table if exists {s}.dashboard_case_state, {s}.dashboard_followup_state, {s}.dashboard_rollup, {s}.dashboard_target_mask,
          {s}.dashboard_mask_count, {s}.dashboard_publication_due cascade;
        drop function if exists {s}.dashboard_rollup_compact cascade;
        drop function if exists {s}.dashboard_case_changed, {s}.dashboard_publication_changed, {s}.dashboard_followup_changed,
          {s}.dashboard_target_moved, {s}.dashboard_department_changed, {s}.dashboard_facts_truncated cascade;

        """;
}
