using System.Data.Common;

namespace Supervision.Api.Infrastructure;

/// <summary>Settings read from configuration (appsettings, environment variables such as <c>ConnectionStrings__Supervision</c>).</summary>
public sealed class SupervisionSettings
{
    /// <summary>The default used when nothing is configured: the local cluster that ops/pg.sh starts.</summary>
    public const string LocalConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=supervision";

    public required string ConnectionString { get; init; }

    /// <summary>PostgreSQL schema for Marten documents, events and Wolverine's envelope tables.</summary>
    public required string Schema { get; init; }

    /// <summary>
    /// How the target import writes an accepted file: <c>bulk</c> (binary COPY in the request's transaction, the default) or
    /// <c>row-by-row</c> (Marten's append with inline projections; kept as the reference the bulk path is tested against).
    /// </summary>
    public string TargetImportWrites { get; init; } = "bulk";

    public const string RowByRowImportWrites = "row-by-row";

    /// <summary>
    /// The largest file an import accepts (<c>Supervision:Imports:MaxBytes</c>, default 2 GiB): the body is spooled to disk while it
    /// is read, so the limit guards the disk, not memory. Kestrel's 30 MB default would refuse a county's directory (a file of
    /// 1,000,000 targets is about 160 MB).
    /// </summary>
    public long ImportMaxBytes { get; init; } = DefaultImportMaxBytes;

    public const long DefaultImportMaxBytes = 2L << 30;

    public static SupervisionSettings From(IConfiguration configuration) => new()
    {
        ConnectionString = WithPoolDefaults(configuration.GetConnectionString("Supervision") is { Length: > 0 } cs
            ? cs
            : Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } env ? env : LocalConnectionString),
        Schema = configuration["Supervision:Schema"] is { Length: > 0 } schema ? schema : "supervision",
        TargetImportWrites = configuration["Supervision:TargetImportWrites"] is { Length: > 0 } writes ? writes : "bulk",
        ImportMaxBytes = long.TryParse(configuration["Supervision:Imports:MaxBytes"], out var importMax) && importMax > 0 ? importMax : DefaultImportMaxBytes,
    };

    /// <summary>
    /// The connection settings every command benefits from, applied once here to whatever connection string is configured;
    /// a setting the connection string names itself is kept as given.
    /// <para><c>Max Auto Prepare</c>/<c>Auto Prepare Min Usages</c>: the statements a command runs (Marten's loads, the
    /// sequence reservation, appends and inserts, Wolverine's envelope statements) have fixed text, so each connection
    /// prepares them after their second use and later runs skip parsing and planning. A connection that holds prepared
    /// statements is reset on return to the pool without <c>DISCARD ALL</c> (which would drop them).</para>
    /// <para><c>No Reset On Close</c> stays off (the reset is kept): this one pool is shared with state that must not
    /// outlive a checkout. Wolverine's leader-election connection tags its session (<c>application_name</c>) and holds
    /// session-level advisory locks; should an unlock fail, the connection goes back to the pool still holding the lock,
    /// and only the reset releases it when the connection is next used. Marten's bulk insert (modes other than inserts-only)
    /// creates a session temporary table that the next bulk insert on the same connection would collide with. Our own
    /// code sets no session state (no <c>SET</c>, temporary tables or <c>LISTEN</c>; the read-model rebuild's session
    /// lock is released before its connection closes). Batched reads (one checkout for a command's reads) keep the number
    /// of resets down; sticky sessions would cut it to one per command but break the early transaction of AllocationLock
    /// (see SupervisionHost).</para>
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Named(params string[] keys) => keys.Any(given.ContainsKey);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Named("Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 100;
        if (!Named("Auto Prepare Min Usages", "AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }
}
