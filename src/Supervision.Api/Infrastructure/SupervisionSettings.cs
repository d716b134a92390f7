using System.Data.Common;
using JasperFx.CodeGeneration;
using Supervision.Api.Infrastructure.Cluster;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Api.Infrastructure.Settings;
using Supervision.Domain.Inspections;

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

    /// <summary><c>Supervision:ImportForeignKeyChecks</c>: <c>always</c> keeps PostgreSQL's row-by-row foreign key check during the bulk target import (see BulkTargetWriter); unset, the writer suspends it around its own COPY.</summary>
    public bool ImportForeignKeyChecksAlways { get; init; }

    /// <summary><c>Supervision:ApiDocs</c>: who reads <c>/openapi/v1.json</c> and <c>/scalar</c>: <c>public</c>, <c>authenticated</c> or <c>off</c>.</summary>
    public string ApiDocs { get; init; } = "public";

    /// <summary><c>Supervision:Telemetry</c>: <c>always</c> or <c>off</c>; unset, traces and metrics are collected only when <see cref="OtlpEndpoint"/> is set.</summary>
    public string? Telemetry { get; init; }

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: the collector traces, metrics and logs are exported to.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary><c>Supervision:ResultDeadlineTrigger</c>: from which moment an opened case's result deadline counts.</summary>
    public DeadlineTrigger ResultDeadlineTrigger { get; init; } = DeadlineTrigger.InspectionEnded;

    /// <summary><c>Supervision:PublicRequestsPerMinute</c>: the public pages' budget per client address, counted for all nodes.</summary>
    public int PublicRequestsPerMinute { get; init; } = 120;

    /// <summary><c>Supervision:TypeLoadMode</c>, resolved by <see cref="CodeGenerationMode"/>.</summary>
    public TypeLoadMode TypeLoadMode { get; init; } = TypeLoadMode.Dynamic;

    /// <summary><c>Supervision:GeneratedCodeOutputPath</c>: where <c>codegen write</c> puts the pre-generated handler code.</summary>
    public string GeneratedCodeOutputPath { get; init; } = "Internal/Generated";

    public JobSettings Jobs { get; init; } = new();

    public SealSettings Sealing { get; init; } = new();

    public PeriodicJobSettings PeriodicJobs { get; init; } = new();

    public DrawSettings Draws { get; init; } = new();

    public ClusterTimings Cluster { get; init; } = ClusterTimings.Default;

    public ReadReplicaSettings ReadReplica { get; init; } = new();

    public AuthSettings Auth { get; init; } = new();

    /// <summary>
    /// Every setting, read once and checked against its rule: a value that does not parse or breaks its rule stops the host
    /// with <see cref="InvalidSettingException"/> naming the key, the value and the rule, rather than running on the default.
    /// </summary>
    public static SupervisionSettings From(IConfiguration configuration, bool production = false) => From(new SettingsReader(configuration), production);

    /// <summary>Every key the settings read: the list the README's settings table must cover (see SettingsCoverageTests).</summary>
    public static IReadOnlyList<string> Keys()
    {
        var read = new SettingsReader(new ConfigurationBuilder().Build());
        From(read, production: false);
        return read.Keys;
    }

    private static SupervisionSettings From(SettingsReader read, bool production) => new()
    {
        ConnectionString = WithPoolDefaults(read.Configuration.GetConnectionString("Supervision") is { Length: > 0 } cs
            ? cs
            : Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } env ? env : LocalConnectionString),
        Schema = read.Text("Supervision:Schema", "supervision"),
        TargetImportWrites = read.Choice("Supervision:TargetImportWrites", "bulk", "bulk", RowByRowImportWrites),
        ImportMaxBytes = read.Whole("Supervision:Imports:MaxBytes", DefaultImportMaxBytes, minimum: 1),
        ImportForeignKeyChecksAlways = read.Choice("Supervision:ImportForeignKeyChecks", "", "always") == "always",
        ApiDocs = read.Choice("Supervision:ApiDocs", production ? "off" : "public", "public", "authenticated", "off"),
        Telemetry = read.Choice("Supervision:Telemetry", "", "always", "off") is { Length: > 0 } telemetry ? telemetry : null,
        OtlpEndpoint = read.Text("OTEL_EXPORTER_OTLP_ENDPOINT"),
        ResultDeadlineTrigger = read.Named("Supervision:ResultDeadlineTrigger", DeadlineTrigger.InspectionEnded),
        PublicRequestsPerMinute = read.WholeInt("Supervision:PublicRequestsPerMinute", 120, minimum: 1),
        TypeLoadMode = CodeGenerationMode.Resolve(read.Text(CodeGenerationMode.Setting), production),
        GeneratedCodeOutputPath = read.Text("Supervision:GeneratedCodeOutputPath", "Internal/Generated"),
        Jobs = JobSettings.From(read),
        Sealing = SealSettings.From(read),
        PeriodicJobs = PeriodicJobSettings.From(read),
        Draws = DrawSettings.From(read),
        Cluster = ClusterTimings.From(read),
        ReadReplica = ReadReplicaSettings.From(read),
        Auth = AuthSettings.From(read),
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
