using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Supervision.Api.Infrastructure.Observability;

public static class HealthChecks
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddSupervisionHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<PostgresReadiness>("postgresql", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and PostgreSQL answers too.</summary>
    public static void MapSupervisionHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
    }

    private sealed class PostgresReadiness(SupervisionSettings settings) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await connection.OpenAsync(timeout.Token);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
            }
        }
    }
}
