using Supervision.Api.Infrastructure.Http;

namespace Supervision.Api.Tests.Foundation;

public sealed class EventMetadataTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    [Fact]
    public async Task Events_appended_through_the_api_carry_user_role_department_and_correlation_id()
    {
        var adminDepartment = Guid.NewGuid();
        var admin = app.ClientFor("admin-meta", Roles.SystemAdmin, adminDepartment);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/regions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new RegisterRegion("320000", "江苏省")),
        };
        request.Headers.Add(ActorMetadata.CorrelationHeader, "case-42-intake");
        var response = await (await admin.SendAsync(request)).ShouldHaveStatus(201);
        Assert.Equal("case-42-intake", response.Headers.GetValues(ActorMetadata.CorrelationHeader).Single());

        await using var session = app.Store.QuerySession();
        var stored = Assert.Single(await session.Events.FetchStreamAsync(Region.IdFor("320000")));

        // In the event body: the actor, as the domain recorded it.
        var registered = Assert.IsType<RegionRegistered>(stored.Data);
        Assert.Equal(new Actor("admin-meta", "admin-meta (test)", Roles.SystemAdmin, adminDepartment), registered.By);

        // In the metadata: user, roles, department and the request's correlation id.
        Assert.Equal("admin-meta", stored.UserName);
        Assert.Equal("case-42-intake", stored.CorrelationId);
        Assert.False(string.IsNullOrEmpty(stored.CausationId));
        Assert.Equal("admin-meta", stored.GetHeader(ActorMetadata.UserIdHeader)?.ToString());
        Assert.Equal(Roles.SystemAdmin, stored.GetHeader(ActorMetadata.UserRolesHeader)?.ToString());
        Assert.Equal(adminDepartment.ToString(), stored.GetHeader(ActorMetadata.DepartmentHeader)?.ToString());
    }

    [Fact]
    public async Task Without_a_correlation_header_the_trace_id_ties_the_request_events_together()
    {
        var admin = app.ClientFor("admin-meta2", Roles.SystemAdmin);
        var response = await (await admin.PostJson("/api/regions", new RegisterRegion("330000", "浙江省"))).ShouldHaveStatus(201);
        var correlation = response.Headers.GetValues(ActorMetadata.CorrelationHeader).Single();
        Assert.Matches("^[0-9a-f]{32}$", correlation);

        await using var session = app.Store.QuerySession();
        var stored = Assert.Single(await session.Events.FetchStreamAsync(Region.IdFor("330000")));
        Assert.Equal(correlation, stored.CorrelationId);
    }
}
