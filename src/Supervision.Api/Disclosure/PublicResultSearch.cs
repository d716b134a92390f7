using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

/// <summary>What the public may search published results by; every field optional, all given ones must hold.</summary>
public sealed record PublicResultFilter(string? CreditCode, string? Name, string? PlanNumber, string? Authority, DateOnly? From, DateOnly? To);

/// <summary>
/// The public search (一公开) run in PostgreSQL: filtered, sorted and paged there against indexes on the frozen public copies, so a
/// search costs an index lookup whatever the number of publications (it used to load all of them per request).
/// Answers exactly what filtering the loaded publications did: credit code equal ignoring (ASCII) case, name and authority
/// containing the text (ordinal), plan number equal, inspection date within the range; newest publication first, ties by id.
/// </summary>
public static class PublicResultSearch
{
    // The SQL below names these exact expressions, so PostgreSQL uses the indexes DisclosureModule declares on them.
    private const string CreditCodeKey = "upper(data -> 'Current' ->> 'CreditCode')";
    private const string PlanNumber = "data -> 'Current' ->> 'PlanNumber'";
    // Marten indexes a date through its immutable cast function, which lives in the store's schema (Storage.Schema).
    private const string InspectedOn = "CAST(data -> 'Current' ->> 'InspectedOn' as date)";
    private const string EntityName = "data -> 'Current' ->> 'EntityName'";
    private const string Authority = "data -> 'Current' ->> 'Authority'";

    public static void Index(StoreOptions options)
    {
        var schema = options.Schema.For<ResultPublication>();
        schema.Index(p => p.Current!.CreditCode!, index => index.Casing = Marten.Schema.ComputedIndex.Casings.Upper);
        schema.Index(p => p.Current!.PlanNumber);
        // Newest first: a search by name, authority or dates alone walks this index and stops after the page.
        schema.Index(p => p.Current!.PublishedOn, index => index.SortOrder = Weasel.Postgresql.Tables.SortOrder.Desc);
    }

    /// <summary>
    /// The credit code as compared: upper case in ASCII only, as PostgreSQL's <c>upper</c> does under the database's C character type.
    /// Credit codes are ASCII (GB 32100-2015, checked on entry), so this is the ordinal ignore-case comparison the search always made.
    /// </summary>
    public static string CreditCodeKeyOf(string creditCode) =>
        string.Create(creditCode.Length, creditCode, (span, code) =>
        {
            for (var i = 0; i < code.Length; i++) span[i] = code[i] is >= 'a' and <= 'z' ? (char)(code[i] - 32) : code[i];
        });

    /// <summary>The names the SQL needs from the store: the publications' table and the schema of Marten's date cast function.</summary>
    public sealed record Storage(string Table, string Schema, Marten.ISerializer Serializer)
    {
        public static Storage Of(IDocumentStore store) => new(store.Options.Schema.For<ResultPublication>(), store.Options.DatabaseSchemaName, store.Options.Serializer());
    }

    /// <summary>
    /// The search as one plain statement on an open connection, no Marten session (issue 14: the public search is what the whole
    /// public uses): only the document column is read, its text is deserialised once, and the statement text depends only on which
    /// filters are given, so Npgsql's automatic preparation (<c>Max Auto Prepare</c>) skips parsing and planning after the first uses.
    /// </summary>
    public static async Task<(IReadOnlyList<PublicResultEntry> Items, int Total)> SearchAsync(
        Npgsql.NpgsqlConnection connection, Storage storage, PublicResultFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var where = new List<string> { "CAST(data ->> 'Withheld' as boolean) = false", "jsonb_typeof(data -> 'Current') = 'object'" };
        var parameters = new List<object>();
        void Add(string condition, object value)
        {
            parameters.Add(value);
            where.Add(condition.Replace("?", "$" + parameters.Count, StringComparison.Ordinal));
        }
        if (filter.CreditCode is { } code) Add($"{CreditCodeKey} = ?", CreditCodeKeyOf(Identifiers.Normalize(code)));
        if (filter.PlanNumber is { } plan) Add($"{PlanNumber} = ?", plan);
        // strpos, not LIKE: no wildcard characters to escape, and an empty text is contained in every name, as with string.Contains.
        if (filter.Name is { } name) Add($"strpos({EntityName}, ?) > 0", name);
        if (filter.Authority is { } authority) Add($"strpos({Authority}, ?) > 0", authority);
        if (filter.From is { } from) Add($"{InspectedOn} >= ?", from);
        if (filter.To is { } to) Add($"{InspectedOn} <= ?", to);

        var conditions = string.Join(" and ", where);
        var offset = (long)(page - 1) * pageSize;
        // Limit and offset are parameters too, so every page of one kind of search is the same prepared statement.
        var limitAt = parameters.Count + 1;
        var items = new List<PublicResultEntry>();
        await using (var command = Command(connection, $"""
            select data from {storage.Table} where {conditions}
            order by {storage.Schema}.mt_immutable_date(data -> 'Current' ->> 'PublishedOn') desc, id limit ${limitAt} offset ${limitAt + 1}
            """, [.. parameters, pageSize, offset]))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var publication = await storage.Serializer.FromJsonAsync<ResultPublication>(reader, 0, ct);
                items.Add(new PublicResultEntry(publication.Id, publication.Current!, publication.PublicHistory()));
            }
        }
        // The total needs its own count only when this page is full or past the end; otherwise the page itself tells it.
        var total = items.Count > 0 && items.Count < pageSize ? offset + items.Count
            : items.Count == 0 && offset == 0 ? 0
            : (long)(await Command(connection, $"select count(*) from {storage.Table} where {conditions}", parameters).ExecuteScalarAsync(ct))!;
        return (items, (int)Math.Min(total, int.MaxValue));
    }

    private static Npgsql.NpgsqlCommand Command(Npgsql.NpgsqlConnection connection, string sql, IEnumerable<object> parameters)
    {
        var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        return command;
    }
}
