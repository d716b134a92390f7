using System.Net.Sockets;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Http;

namespace Supervision.Api.Tests.Foundation;

/// <summary>Which failures mean "try again shortly" (503), "someone else got there first" (409), or a bug (500).</summary>
public sealed class DatabaseFailuresTests
{
    private static PostgresException Server(string sqlState) => new("refused", "FATAL", "FATAL", sqlState);

    public static TheoryData<Exception, DatabaseFailureKind> Failures => new()
    {
        { new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), DatabaseFailureKind.Unavailable },
        { new NpgsqlException("Exception while reading from stream", new IOException("reset")), DatabaseFailureKind.Unavailable },
        { new NpgsqlException("The operation has timed out", new TimeoutException()), DatabaseFailureKind.Unavailable },
        { Server(PostgresErrorCodes.AdminShutdown), DatabaseFailureKind.Unavailable },
        { Server(PostgresErrorCodes.CannotConnectNow), DatabaseFailureKind.Unavailable },
        { Server(PostgresErrorCodes.TooManyConnections), DatabaseFailureKind.Unavailable },
        { Server(PostgresErrorCodes.LockNotAvailable), DatabaseFailureKind.Unavailable },
        { new InvalidOperationException("wrapped", Server(PostgresErrorCodes.CrashShutdown)), DatabaseFailureKind.Unavailable },
        { new TimeoutException("pool"), DatabaseFailureKind.Unavailable },
        { Server(PostgresErrorCodes.UniqueViolation), DatabaseFailureKind.Collision },
        { Server(PostgresErrorCodes.SerializationFailure), DatabaseFailureKind.Collision },
        { new AggregateException(new InvalidOperationException("a"), new Exception("b", Server(PostgresErrorCodes.UniqueViolation))), DatabaseFailureKind.Collision },
        { new JasperFx.ConcurrencyException("stale", null!), DatabaseFailureKind.Collision },
        { Server(PostgresErrorCodes.UndefinedTable), DatabaseFailureKind.None },
        { new InvalidOperationException("a bug"), DatabaseFailureKind.None },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_read_through_its_wrappers(Exception failure, DatabaseFailureKind expected) =>
        Assert.Equal(expected, DatabaseFailures.Classify(failure));

    [Fact]
    public void A_unique_key_taken_at_once_names_its_rule()
    {
        static string RuleOf(Exception e) => System.Text.Json.JsonSerializer.Serialize(DatabaseFailures.Collision(e).Extensions["violations"]);
        PostgresException Violating(string constraint) =>
            new("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation, constraintName: constraint);

        Assert.Equal(409, DatabaseFailures.Collision(Violating("mt_doc_region_uidx_code")).Status);
        Assert.Contains(DatabaseFailures.UniqueKeyRule, RuleOf(new Exception("commit", Violating("mt_doc_region_uidx_code"))));
        Assert.Contains(DatabaseFailures.StreamExistsRule, RuleOf(new Exception("commit", Violating("pk_mt_streams"))));
    }

    [Fact]
    public void The_stated_retry_budget_answers_within_five_seconds_of_a_refused_connection_and_bounds_a_silent_server()
    {
        // A refused connection fails at once: only the budget counts.
        Assert.True(DatabaseResilience.RetryBudget + DatabaseResilience.MaxDelay <= TimeSpan.FromSeconds(5));
        Assert.True(DatabaseResilience.WorstCaseSeconds <= 10);
        Assert.Contains("Timeout=2", DatabaseResilience.WithConnectTimeout("Host=db;Username=app"));
        Assert.Equal("Host=db;Timeout=30", DatabaseResilience.WithConnectTimeout("Host=db;Timeout=30"));
    }

    /// <summary>The message retry policy: what the fault drill saw dead-lettered after a fast stop must be retried, a bug must not.</summary>
    [Fact]
    public void Message_handlers_retry_a_database_killed_under_them_but_not_a_bug()
    {
        Assert.True(SupervisionHost.IsTransientForMessages(new OperationCanceledException()));
        Assert.True(SupervisionHost.IsTransientForMessages(new TaskCanceledException()));
        Assert.True(SupervisionHost.IsTransientForMessages(new ObjectDisposedException("NpgsqlConnector", Server(PostgresErrorCodes.AdminShutdown))));
        Assert.True(SupervisionHost.IsTransientForMessages(new InvalidOperationException("wrapped", Server(PostgresErrorCodes.CannotConnectNow))));
        Assert.False(SupervisionHost.IsTransientForMessages(new InvalidOperationException("a bug")));
        Assert.False(SupervisionHost.IsTransientForMessages(new ArgumentException("bad message")));
    }
}
