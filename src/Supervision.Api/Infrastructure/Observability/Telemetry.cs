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
    /// Whether traces and metrics are collected: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector, or
    /// <c>Supervision:Telemetry</c> is <c>always</c> (e.g. for an in-process listener). Without either nothing would read them,
    /// yet a registered tracer and meter provider still sample every request, every Npgsql command and every Marten connection
    /// (issue 14: a profile of <c>POST /api/targets</c>, <c>ops/bench/command-profile.sh</c>, showed their listeners, activities
    /// and metric aggregation on the command path). <c>off</c> turns them off even with an endpoint.
    /// </summary>
    public static bool Collects(SupervisionSettings settings) => settings.Telemetry switch
    {
        "always" => true,
        "off" => false,
        _ => settings.OtlpEndpoint is not null,
    };

    /// <summary>
    /// Traces and metrics for ASP.NET Core, Npgsql, Wolverine and Marten, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (a developer machine needs no collector) and not collected at all otherwise
    /// (see <see cref="Collects"/>).
    /// </summary>
    public static WebApplicationBuilder AddSupervisionTelemetry(this WebApplicationBuilder builder, SupervisionSettings settings)
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

        if (!Collects(settings)) return builder;

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

        if (settings.OtlpEndpoint is not null)
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
