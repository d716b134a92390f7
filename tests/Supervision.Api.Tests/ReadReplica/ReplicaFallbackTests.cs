using Supervision.Api.Integrity;

namespace Supervision.Api.Tests.ReadReplica;

/// <summary>A host whose configured replica does not exist (nothing listens on its port): needs no replica, so it runs everywhere.</summary>
public sealed class UnreachableReplicaApp : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("ConnectionStrings:SupervisionReplica", $"Host=127.0.0.1;Port={TestReplica.UnusedPort()};Username=postgres;Database=supervision")];
}

public sealed class ReplicaFallbackTests(UnreachableReplicaApp app) : IClassFixture<UnreachableReplicaApp>
{
    [Fact]
    public async Task With_the_replica_down_public_reads_come_from_the_primary_and_say_so()
    {
        var admin = app.ClientFor("admin-fallback", Roles.SystemAdmin);
        await (await admin.PostJson("/api/regions", new RegisterRegion("650000", "新疆维吾尔自治区"))).ShouldHaveStatus(201);
        var sealedNow = await (await app.ClientFor("auditor-fallback", Roles.Auditor).PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();

        var before = DateTimeOffset.UtcNow;
        var response = await app.Anonymous().GetAsync("/api/public/integrity/checkpoints?limit=1");
        var newest = Assert.Single(await response.ReadAs<List<ChainCheckpoint>>());
        Assert.Equal((sealedNow.Sequence, sealedNow.Hash), (newest.Sequence, newest.Hash));
        var read = ReadProvenance.Of(response);
        Assert.Equal(("primary", "unreachable"), (read.Source, read.State));
        Assert.Null(read.LagMilliseconds);
        Assert.InRange(read.DataAsOf, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        // The down replica is measured at most once a second, not once per request: the next reads answer at once, still from the primary.
        var page = await app.Anonymous().GetAsync("/public?name=none");
        await page.ShouldHaveStatus(200);
        Assert.Equal("primary", ReadProvenance.Of(page).Source);
    }
}

/// <summary>Without <c>ConnectionStrings:SupervisionReplica</c> (every other test class) the primary answers, and says so.</summary>
public sealed class NoReplicaTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    [Fact]
    public async Task Without_a_replica_the_primary_answers_and_says_so()
    {
        var response = await app.Anonymous().GetAsync("/api/public/plans?year=2031");
        Assert.Empty(await response.ReadAs<List<Supervision.Api.Plans.PublicPlan>>());
        var read = ReadProvenance.Of(response);
        Assert.Equal(("primary", "not-configured"), (read.Source, read.State));
    }
}
