using System.Data.Common;
using Npgsql;

namespace Supervision.Api.Infrastructure;

/// <summary>Settings read from configuration (appsettings, environment variables such as <c>ConnectionStrings__Supervision</c>).</summary>
public sealed class SupervisionSettings
{
    /// <summary>The default used when nothing is configured: the local cluster that ops/pg.sh starts.</summary>
    public const string LocalConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=supervision";

    public required string ConnectionString { get; init; }

    /// <summary>PostgreSQL schema for Marten documents, events and Wolverine's envelope tables.</summary>
    public required string Schema { get; init; }

    public static SupervisionSettings From(IConfiguration configuration) => new()
    {
        ConnectionString = WithPoolDefaults(configuration.GetConnectionString("Supervision") is { Length: > 0 } cs
            ? cs
            : Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } env ? env : LocalConnectionString),
        Schema = configuration["Supervision:Schema"] is { Length: > 0 } schema ? schema : "supervision",
    };

    /// <summary>
    /// The connection settings every command benefits from, applied once here to whatever connection string is configured;
    /// a setting the connection string names itself is kept as given.
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare</c>/<c>Auto Prepare Min Usages</c>: the statements a command runs (Marten's loads, appends
    /// and inserts, Wolverine's envelope statements) have fixed text, so each connection prepares them after their second use
    /// and later runs skip parsing and planning.</item>
    /// <item><c>No Reset On Close</c>: see <see cref="NoResetOnClose"/>.</item>
    /// </list>
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Named(params string[] keys) => keys.Any(given.ContainsKey);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Named("Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 100;
        if (!Named("Auto Prepare Min Usages", "AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
        if (!Named("No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = NoResetOnClose;
        return builder.ConnectionString;
    }

    /// <summary>
    /// PLACEHOLDER
    /// </summary>
    public const bool NoResetOnClose = true;
}
