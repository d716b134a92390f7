using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Supervision.Api.Infrastructure.Observability;

public static class Telemetry
{
    public const string ServiceName = "supervision-api";

    /// <summary>
    /// Traces and metrics for ASP.NET Core, Npgsql, Wolverine and Marten; exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so a developer machine needs no collector.
    /// </summary>
    public static WebApplicationBuilder AddSupervisionTelemetry(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        // ASP.NET Core's own Information lines come per request (request starting, endpoint executing, request finished): two JSON
        // lines with their scopes cost a public search more CPU than its query (issue 14, measured with ops/bench/public-search.sh).
        // The traces carry the same facts. Warnings and errors still log; a configured level for the category still wins.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddSource("Wolverine", "Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Wolverine", "Marten", "Npgsql"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
