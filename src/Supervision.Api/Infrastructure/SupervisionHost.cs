using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Resources;
using Marten.Exceptions;
using Polly;
using Polly.Retry;
using Scalar.AspNetCore;
using Supervision.Api.Infrastructure.Cluster;
using Supervision.Api.Infrastructure.Observability;
using Supervision.Api.Jobs;
using Weasel.Core;
using Wolverine.ErrorHandling;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// All wiring of the host in one place, so Program.cs stays two lines and tests boot exactly what production runs.
/// Each capability contributes its own Marten registrations through an <see cref="IMartenModule"/>.
/// </summary>
public static class SupervisionHost
{
    public static WebApplicationBuilder AddSupervision(this WebApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        // Every setting bound and checked here, before anything else: a bad value stops the host naming the key and the rule.
        var settings = SupervisionSettings.From(builder.Configuration, production);
        builder.Services.AddSingleton(settings);
        Directories.Targets.BulkTargetWriter.SkipForeignKeyChecksWhenAllowed = !settings.ImportForeignKeyChecksAlways;
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Integrity.EventChain>();
        builder.Services.AddSingleton(services => Disclosure.PublicResultSearch.Storage.Of(services.GetRequiredService<IDocumentStore>()));
        builder.Services.AddSingleton(Draws.DrawSecrets.From(settings, production));
        builder.Services.AddSingleton<Draws.DrawTargetsStore>();
        builder.Services.AddHostedService<Integrity.PeriodicSealer>();
        builder.Services.AddHostedService<Dashboards.DashboardRollupCompaction>();
        builder.Services.AddHostedService<Dashboards.MonthlyReportReminderService>();
        builder.Services.AddHostedService<ProgressReports.ProgressReportReminderService>();

        builder.AddSupervisionTelemetry(settings);
        builder.AddSupervisionAuthentication(settings.Auth);
        builder.AddSupervisionReadReplica(settings.ReadReplica);
        builder.Services.AddProblemDetails(ProblemResponses.Customize);
        builder.Services.AddExceptionHandler<BadInputExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseExceptionHandler>();
        // The OpenAPI document as a product: doc comments, security, slice tags, examples (ApiDocs/ApiDocumentation.cs).
        ApiDocs.ApiDocumentation.AddSupervisionApiDocs(builder.Services);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new NoNulStringConverter());
        });
        builder.Services.AddSupervisionHealthChecks();
        // Periodic jobs on one node, the public rate limit shared by all nodes (see Cluster/ClusterSetup.cs).
        builder.Services.AddCluster(settings);
        // Long work (imports) as job resources followed at /api/jobs/{id} (see Jobs/JobRunner.cs).
        builder.Services.AddJobs();

        builder.Services.AddMarten(options =>
            {
                options.Connection(DatabaseResilience.WithConnectTimeout(settings.ConnectionString));
                options.DatabaseSchemaName = settings.Schema;
                options.DisableNpgsqlLogging = true;
                // Not UseStickyConnectionLifetimes: with it (and connection tracing on) a session cannot begin its transaction
                // early, which the plan-number allocation lock needs (AllocationLock); every POST /api/plans answered 500.
                // Enums stored by name: event payloads stay readable to auditors and survive reordering of enum members.
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);

                // Production applies the reviewed SQL in eventstore-migrations/ and never alters the schema itself.
                options.AutoCreateSchemaObjects = production ? AutoCreate.None : AutoCreate.CreateOrUpdate;

                // Who did it, and which request it belonged to: the case history (纪检) reads these.
                // Rich appends assign stream versions in the application, so inline snapshots carry the right version even
                // for events appended to a stream the command did not fetch (e.g. the draw marking its plan's task drawn).
                options.Events.AppendMode = JasperFx.Events.EventAppendMode.Rich;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;

                // Marten's own spans and event counters only when something collects them (Observability/Telemetry.Collects):
                // tracking wraps every command of every session.
                if (Observability.Telemetry.Collects(settings))
                {
                    options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
                    options.OpenTelemetry.TrackEventCounters();
                }

                // Transient PostgreSQL failures (restarts, dropped connections) are retried within a bounded budget (README, Failure behaviour).
                options.RetryTransientDatabaseFailures();

                IMartenModule.ConfigureAll(options);
            })
            .UseLightweightSessions()
            // Wolverine runs the async projections and elects one node per projection with its own locks
            // (see README, Dependencies: Marten's HotCold daemon needs a lock package not held here).
            .IntegrateWithWolverine(integration => integration.UseWolverineManagedEventSubscriptionDistribution = true);

        builder.Host.UseWolverine(options =>
        {
            options.ServiceName = "supervision-api";
            options.ApplicationAssembly = typeof(SupervisionHost).Assembly;
            options.Policies.AutoApplyTransactions();
            options.Policies.UseDurableLocalQueues();
            options.Policies.UseDurableInboxOnAllListeners();
            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
            options.EnableRelayOfUserName = true;
            // How fast a dead node's work moves, and how often due scheduled messages (reminders, deadlines) are picked up.
            settings.Cluster.ApplyTo(options);

            // Idempotency-Key: a retried command is answered with the first response, and the claim is written in
            // the same transaction as the command's events (see IdempotencyPolicy).
            options.Durability.EnableDeduplicatedResponses = true;
            options.Durability.DeduplicationWindow = TimeSpan.FromDays(7);

            if (production) options.AutoBuildMessageStorageOnStartup = AutoCreate.None;

            // With default settings a one-second PostgreSQL restart sent messages straight to the dead-letter queue:
            // retry in place, then back off on the durable schedule, and only then dead-letter.
            // Two messages about one stream at once (a reminder and a deadline, say): the loser re-reads and decides again.
            // After a database freeze several messages about one stream may lose in a row (the fault drill dead-lettered
            // one after four in-place retries): back off on the durable schedule before giving up.
            options.Policies.OnException<JasperFx.ConcurrencyException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1))
                .Then.MoveToErrorQueue();
            // A database that is away or just coming back. Besides Npgsql's own exceptions, a connection killed under a
            // running handler surfaces as OperationCanceledException / ObjectDisposedException (the fault drill saw both
            // dead-letter deadline messages after a fast stop), so those are retried on the same budget.
            options.Policies.OnException(IsTransientForMessages)
                .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10))
                .Then.MoveToErrorQueue();

            // Static mode runs the code pre-generated into Internal/Generated (bash ops/codegen.sh); production
            // always does, so stale generated code fails the production-mode test rather than a deployment.
            options.CodeGeneration.TypeLoadMode = settings.TypeLoadMode;
            options.CodeGeneration.GeneratedCodeOutputPath = settings.GeneratedCodeOutputPath;
        });

        builder.Services.AddWolverineHttp();
        if (!production) builder.Services.AddResourceSetupOnStartup();
        return builder;
    }

    /// <summary>Failures of a message handler that a later attempt can get past: the database away, slow, or killed mid-command.</summary>
    public static bool IsTransientForMessages(Exception exception) =>
        exception is NpgsqlException or MartenCommandException or TimeoutException or OperationCanceledException or ObjectDisposedException
        || Http.DatabaseFailures.Classify(exception) == Http.DatabaseFailureKind.Unavailable;

    public static WebApplication UseSupervision(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseRequestHardening();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // The API documentation: open in development; in production off, unless Supervision:ApiDocs says "authenticated" or "public".
        var docs = app.Services.GetRequiredService<SupervisionSettings>().ApiDocs;
        if (docs is "public")
        {
            app.MapOpenApi().AllowAnonymous();
            app.MapScalarApiReference().AllowAnonymous();
        }
        else if (docs is "authenticated")
        {
            app.MapOpenApi().RequireAuthorization();
            app.MapScalarApiReference().RequireAuthorization();
        }
        // Every problem's `type` names a rule of this catalogue, so it is served whatever Supervision:ApiDocs says.
        ApiDocs.ProblemCatalogue.MapProblemCatalogue(app);
        app.MapSupervisionHealthChecks();
        app.MapClusterStatus();

        app.MapWolverineEndpoints(http =>
        {
            http.MapConcurrencyFailuresToConflict(toProblemDetails: exception => ConflictProblems.Describe(exception, app.Services));
            http.RejectUnparseableQueryValues = true;
            http.AddPolicy<IdempotencyPolicy>();
            http.AddPolicy<DecisionPolicy>();
            http.AddMiddleware(typeof(ActorMetadata), IdempotencyPolicy.IsStateChanging);
        });
        return app;
    }
}
