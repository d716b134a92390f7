using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.Disclosure;
using Supervision.Api.FollowUps;
using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;
using Wolverine;

namespace Supervision.Api.Tests.Inspections;

/// <summary>
/// The scheduled deadline handlers are aggregate handlers (<c>[WriteAggregate]</c> returning events). A deadline can outlive its
/// stream's reason to exist (a message scheduled in a database that was restored, or forged into the inbox): handling one for a
/// stream that does not exist must write nothing and must not fail, or the durable inbox would retry it forever.
/// </summary>
public sealed class ScheduledMessagesForMissingStreamsTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    [Fact]
    public async Task A_deadline_for_a_case_or_follow_up_that_does_not_exist_writes_nothing_and_does_not_fail()
    {
        var missing = Guid.NewGuid();
        using (var scope = app.Services.CreateScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            await bus.InvokeAsync(new ResultEntryDue(missing));
            await bus.InvokeAsync(new ResultEntryOverdue(missing));
            await bus.InvokeAsync(new PublicationDue(missing));
            await bus.InvokeAsync(new PublicationOverdue(missing));
            await bus.InvokeAsync(new FollowUpMeasureOverdue(missing, 1));
            await bus.InvokeAsync(new RecountProvisionalDeadlines(missing));
        }

        await using var session = app.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(missing));
        Assert.Null(await session.LoadAsync<InspectionCase>(missing));
    }
}
