using System.Net.Http.Headers;
using System.Security.Cryptography;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Supervision.Api.Infrastructure.Auth;

namespace Supervision.Api.Tests.Harness;

/// <summary>
/// The real host on the real PostgreSQL, one per test class, each in a schema of its own so classes run in parallel
/// without truncating each other's data. Copy this shape for every slice: <c>IClassFixture&lt;SupervisionApp&gt;</c>.
/// </summary>
public class SupervisionApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The database the tests use: ops/test.sh sets it; otherwise the local cluster of ops/pg.sh.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("SUPERVISION_TEST_CONNECTION_STRING") is { Length: > 0 } cs
            ? cs
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=supervision";

    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    /// <summary>The draw seal key, outside the database as in production.</summary>
    public static readonly string DrawSealKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    static SupervisionApp()
    {
        // Lets WebApplicationFactory start a host whose Program ends in RunJasperFxCommands.
        JasperFxEnvironment.AutoStartHost = true;
    }

    public virtual string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..12];

    protected virtual string EnvironmentName => "Development";

    /// <summary>Extra settings a derived fixture needs (e.g. a production-mode boot).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected virtual string ConnectionStringForHost => ConnectionString;

    public AuthSettings Auth { get; } = new() { SigningKey = SigningKey };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Supervision", ConnectionStringForHost);
        builder.UseSetting("Supervision:Schema", Schema);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Supervision:DrawSealKey", DrawSealKey);
        // Tests hammer the public endpoints from one address; the rate-limit test sets its own budget.
        builder.UseSetting("Supervision:PublicRequestsPerMinute", "100000");
        // Events are sealed as soon as they are committed (in production a few seconds later, see EventChain.LagSeconds).
        builder.UseSetting("Supervision:SealLagSeconds", "0");
        builder.UseSetting("Supervision:SealGapSeconds", "0");
        foreach (var (key, value) in ExtraSettings) builder.UseSetting(key, value);
        if (Clock is { } clock) builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    /// <summary>
    /// The application's notion of "now" (business dates, deadlines, a draw's source moments): the system clock shifted by what
    /// the tests advanced it, unless a fixture freezes it.
    /// </summary>
    protected virtual TimeProvider? Clock => shifted;

    private readonly ShiftedClock shifted = new();

    public DateTimeOffset Now => (Clock ?? TimeProvider.System).GetUtcNow();

    /// <summary>Moves the application's clock forward (e.g. past a draw's declared source moment) instead of sleeping.</summary>
    public void AdvanceClock(TimeSpan by)
    {
        switch (Clock)
        {
            case Microsoft.Extensions.Time.Testing.FakeTimeProvider fake: fake.Advance(by); break;
            case ShiftedClock clock: clock.Advance(by); break;
            default: throw new InvalidOperationException("This fixture's clock cannot be advanced.");
        }
    }

    /// <summary>The system clock plus an offset that only grows.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long offsetTicks;
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));
        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>An HTTP client carrying a token for <paramref name="userId"/> with the given roles and department.</summary>
    public HttpClient ClientFor(string userId, string role, Guid? departmentId = null, params string[] moreRoles)
    {
        var client = CreateClient();
        var token = TokenIssuer.Issue(Auth, userId, [role, .. moreRoles], departmentId, displayName: userId + " (test)");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    public virtual async Task InitializeAsync()
    {
        // Boots the host (and applies the schema in development mode) before the first test runs.
        _ = Server;
        await Task.CompletedTask;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
