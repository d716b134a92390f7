using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Inspections;

/// <summary>One host of a pair sharing a schema and a controllable clock: the first is stopped, the second started.</summary>
public sealed class ClockedApp(string schema, FakeTimeProvider clock, bool dropSchemaOnDispose) : SupervisionApp
{
    public override string Schema => schema;
    protected override TimeProvider? Clock => clock;
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:ScheduledJobPollingMilliseconds", "500")];

    public override async Task DisposeAsync()
    {
        if (dropSchemaOnDispose) await base.DisposeAsync();
        else await ((IAsyncDisposable)this).DisposeAsync();
    }
}

public sealed class DeadlineRestartTests
{
    private static DateTimeOffset China(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task An_overdue_case_is_flagged_by_the_durable_deadline_after_a_restart()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        var clock = new FakeTimeProvider(China(2026, 3, 10, 9));
        Guid caseId;

        // Host A: the case ends on 10 March 2026; the reminder and the deadline are scheduled; then the host stops.
        var first = new ClockedApp(schema, clock, dropSchemaOnDispose: false);
        await first.InitializeAsync();
        try
        {
            var scenario = await new InspectionScenario(first, "XT-LATE", "130523", year: 2026).Setup();
            foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"LT-{n}", new DateOnly(2024, 1, 1));
            await scenario.ImportTargets(10, 12000);
            var (plan, task) = await scenario.ApprovedPlan("XT-LATE-SP");
            var draw = await scenario.Draw(plan, task);
            var opened = await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>();
            caseId = opened.Opened[0];
            var @case = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
            var member = scenario.ClientOf(@case.Team[0].StaffCode);
            @case = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), @case.Version))).ReadAs<InspectionCase>();
            @case = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], @case.Version))).ReadAs<InspectionCase>();
            Assert.Equal(new DateOnly(2026, 4, 8), @case.Deadline!.Due);
            Assert.False(@case.Overdue);
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.True(await ScheduledMessages(schema) >= 2, "the reminder and the deadline wait durably in PostgreSQL");

        // Host B starts after the deadline has passed (10 April 2026). Time passing is simulated by making the stored
        // schedule due now; the handler decides against the application's clock.
        clock.SetUtcNow(China(2026, 4, 10, 9));
        await using var second = new ClockedApp(schema, clock, dropSchemaOnDispose: true);
        await second.InitializeAsync();
        await MakeScheduledMessagesDue(schema);

        var planner = second.ClientFor("planner-XT-LATE", Supervision.Domain.Kernel.Roles.Planner, Supervision.Domain.Organization.Department.IdFor("XT-LATE"));
        var overdue = await SchemaChanges.UntilAsync(schema, SchemaChanges.EventsAndInbox,
            async () => (await (await planner.GetAsync("/api/cases?overdue=true")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items,
            found => found.Any(c => c.Id == caseId), TimeSpan.FromSeconds(60), "the result deadline message was handled");
        Assert.Contains(overdue, c => c.Id == caseId);

        // The reminder and the deadline were made due together and run side by side on the same case: one of them may be
        // retried after a concurrency conflict, so wait for both rather than assume an order.
        var flagged = await SchemaChanges.UntilAsync(schema, SchemaChanges.EventsAndInbox,
            async () => await (await planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>(),
            c => c.Overdue && c.DueReminded, TimeSpan.FromSeconds(60), "the reminder and the deadline were both handled");
        Assert.True(flagged.Overdue);
        Assert.True(flagged.DueReminded, "ENVELOPES: " + await Dump(schema));
    }

    private static async Task<long> ScheduledMessages(string schema)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Scheduled'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> Dump(string schema)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select string_agg(status || ' ' || owner_id || ' ' || execution_time || ' ' || message_type || ' attempts ' || attempts, '; ') from {schema}.wolverine_incoming_envelopes", connection);
        var incoming = await command.ExecuteScalarAsync();
        await using var dead = new NpgsqlCommand($"select string_agg(message_type || ' ' || exception_message, '; ') from {schema}.wolverine_dead_letters", connection);
        return incoming + " || dead: " + await dead.ExecuteScalarAsync();
    }

    /// <summary>The test seam for "time passes": every durably scheduled message of the schema becomes due now.</summary>
    internal static async Task MakeScheduledMessagesDue(string schema)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"update {schema}.wolverine_incoming_envelopes set execution_time = now() - interval '1 second' where status = 'Scheduled'", connection);
        await command.ExecuteNonQueryAsync();
    }
}
