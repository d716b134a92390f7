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

    public static SupervisionSettings From(IConfiguration configuration) => new()
    {
        ConnectionString = configuration.GetConnectionString("Supervision") is { Length: > 0 } cs
            ? cs
            : Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } env ? env : LocalConnectionString,
        Schema = configuration["Supervision:Schema"] is { Length: > 0 } schema ? schema : "supervision",
        TargetImportWrites = configuration["Supervision:TargetImportWrites"] is { Length: > 0 } writes ? writes : "bulk",
    };
}
