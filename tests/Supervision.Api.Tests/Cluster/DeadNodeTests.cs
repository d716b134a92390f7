using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.Inspections;
using Wolverine;
using Wolverine.Runtime;
using Xunit.Abstractions;

namespace Supervision.Api.Tests.Cluster;

/// <summary>Two nodes; node A starts alone, so Wolverine's leader and its durability agent (the scheduled-message poller) are on A.</summary>
public sealed class NodeAHoldsTheScheduledWork : TwoNodes
{
    // The pre-generated handler code, as in production: runtime compilation on a busy machine would add seconds to the first handling.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Supervision:TypeLoadMode", "Static")];

    protected override async Task StartedAsync(ClusterNode a)
    {
        var node = NodeId(a);
        await WaitUntilChangedAsync(["wolverine_node_assignments"], async () => (await AgentsAsync()).Any(x => x.Agent.StartsWith("wolverinedb://") && x.Node == node),
            TimeSpan.FromSeconds(30), "node A runs the durability agent");
    }

    public static Guid NodeId(ClusterNode node) => node.Services.GetRequiredService<IWolverineRuntime>().Options.UniqueNodeId;

    /// <summary>Which node runs which agent, as Wolverine records it.</summary>
    public async Task<IReadOnlyList<(string Agent, Guid Node)>> AgentsAsync()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, node_id from {Schema}.wolverine_node_assignments", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var agents = new List<(string, Guid)>();
        while (await reader.ReadAsync()) agents.Add((reader.GetString(0), reader.GetGuid(1)));
        return agents;
    }

    /// <summary>Makes one scheduled message of the type look received by <paramref name="node"/> and waiting to be handled there.</summary>
    public async Task ClaimOneForAsync(string messageType, int node)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"update {Schema}.wolverine_incoming_envelopes set status = 'Incoming', owner_id = @node, execution_time = null "
            + $"where id = (select id from {Schema}.wolverine_incoming_envelopes where message_type like @type and status = 'Scheduled' limit 1)", connection);
        command.Parameters.AddWithValue("type", messageType);
        command.Parameters.AddWithValue("node", node);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The inbox rows of a message type (a LIKE pattern) that have not been handled yet.</summary>
    public async Task<IReadOnlyList<(string Status, int Owner)>> PendingAsync(string messageType)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select status, owner_id from {Schema}.wolverine_incoming_envelopes where message_type like @type and status <> 'Handled'", connection);
        command.Parameters.AddWithValue("type", messageType);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt32(1)));
        return rows;
    }
}

public sealed class DeadNodeTests(NodeAHoldsTheScheduledWork cluster, ITestOutputHelper output) : IClassFixture<NodeAHoldsTheScheduledWork>
{
    [Fact]
    public async Task A_killed_nodes_messages_run_on_another_node_within_10_seconds()
    {
        // A schedules two durable deadlines (of cases that do not exist: handling them is a no-op) two seconds ahead. One stays
        // scheduled; the other is marked as A's own, claimed and waiting in A's inbox, as a message A received and had not yet
        // handled. Only A's death can free that one: no other node touches an envelope its live owner holds.
        var messageType = "%" + nameof(ResultEntryOverdue);
        var due = TimeSpan.FromSeconds(2);
        using (var scope = cluster.A.Services.CreateScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            await bus.ScheduleAsync(new ResultEntryOverdue(Guid.NewGuid()), due);
            await bus.ScheduleAsync(new ResultEntryOverdue(Guid.NewGuid()), due);
        }
        var nodeA = cluster.A.Services.GetRequiredService<IWolverineRuntime>().Options.Durability.AssignedNodeNumber;
        await cluster.ClaimOneForAsync(messageType, nodeA);
        var before = await cluster.PendingAsync(messageType);
        output.WriteLine($"Before the kill: {string.Join(", ", before)} (node A is {nodeA})");
        Assert.Equal(2, before.Count);
        Assert.Contains(("Incoming", nodeA), before);

        // A dies before they are due: its connections are reset, and it can neither heartbeat nor hand anything over.
        cluster.RelayA.Sever();
        var killed = System.Diagnostics.Stopwatch.StartNew();
        var seen = "";
        var handled = await cluster.WaitUntilChangedAsync(["wolverine_incoming_envelopes"], async () =>
        {
            var pending = await cluster.PendingAsync(messageType);
            var now = string.Join(", ", pending);
            if (now != seen) output.WriteLine($"{killed.Elapsed.TotalSeconds:0.0} s after the kill: {(now is "" ? "all handled" : now)}");
            seen = now;
            return pending.Count == 0;
        }, TimeSpan.FromSeconds(10), "node B ran both messages of dead node A");
        output.WriteLine($"Both handled by node B {handled.TotalSeconds:0.0} s after node A died.");

        // Node B now runs the durability agent (the scheduled-message poller and inbox recovery), and A is gone from the cluster.
        var b = NodeAHoldsTheScheduledWork.NodeId(cluster.B);
        var agents = await cluster.AgentsAsync();
        Assert.Contains(agents, x => x.Agent.StartsWith("wolverinedb://") && x.Node == b);
        Assert.DoesNotContain(agents, x => x.Node == NodeAHoldsTheScheduledWork.NodeId(cluster.A));
    }
}
