using System.Reflection;
using Supervision.Api.Infrastructure.Http;
using Supervision.Api.Organization.Departments;
using Supervision.Api.Plans;
using Supervision.Domain.Plans;
using Wolverine.Http;
using Wolverine.Marten;

namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// <see cref="DecisionPolicy"/> decides every command endpoint that declares no Load by the domain's one
/// <c>Decide(command, state, Actor)</c>, acting under the endpoint's one role. These checks read the endpoints themselves, so
/// an endpoint added without a Load whose decide is missing, ambiguous or whose role is not single fails here by name
/// (the host would also refuse to start).
/// </summary>
public sealed class DecisionPolicyTests
{
    private static IEnumerable<MethodInfo> CommandHandlersWithoutLoad() =>
        typeof(DecisionPolicy).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed && t.GetMethod("Load") is null && t.GetMethod("LoadAsync") is null)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetCustomAttributes().Any(a => a is WolverineHttpMethodAttribute)
                && m.GetParameters().Any(p => p.ParameterType == typeof(Decision)));

    [Fact]
    public void Every_endpoint_without_a_Load_has_exactly_one_domain_decide_and_one_acting_role()
    {
        var handlers = CommandHandlersWithoutLoad().ToArray();
        Assert.True(handlers.Length >= 17, $"expected the conventional endpoints, found {handlers.Length}");
        foreach (var post in handlers)
        {
            var state = post.GetParameters().Single(p => p.GetCustomAttribute<WriteAggregateAttribute>() is not null).ParameterType;
            var decide = DecisionPolicy.DecideFor(post.GetParameters()[0].ParameterType, state, post.DeclaringType!.Name);
            Assert.StartsWith("Supervision.Domain.", decide.DeclaringType!.FullName);
            Assert.Contains(DecisionPolicy.ActingRole(post), Roles.All);
        }
    }

    [Fact]
    public void The_decide_is_the_one_the_endpoint_used_to_call()
    {
        Assert.Equal(typeof(PlanRules), DecisionPolicy.DecideFor(typeof(ReturnPlan), typeof(AnnualPlan), "ReturnPlanEndpoint").DeclaringType);
        Assert.Equal(Roles.Approver, DecisionPolicy.ActingRole(typeof(ReturnPlanEndpoint).GetMethod("Post")!));
        Assert.Equal(Roles.Planner, DecisionPolicy.ActingRole(typeof(FilePlanEndpoint).GetMethod("Post")!));
        Assert.Equal(typeof(RegionRules), DecisionPolicy.DecideFor(typeof(RenameRegion), typeof(Region), "RenameRegionEndpoint").DeclaringType);
    }

    [Fact]
    public void A_command_without_a_decide_on_that_state_is_refused_by_name()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            DecisionPolicy.DecideFor(typeof(RenameRegion), typeof(Department), "SomeNewEndpoint"));
        Assert.Contains("SomeNewEndpoint", refused.Message);
        Assert.Contains("Decide(RenameRegion, Department, Actor)", refused.Message);
    }

    [Fact]
    public void An_endpoint_open_to_two_roles_cannot_leave_the_actor_to_the_policy()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            DecisionPolicy.ActingRole(typeof(SetDrawRecordDisclosureEndpoint).GetMethod("Put")!));
        Assert.Contains("SetDrawRecordDisclosureEndpoint", refused.Message);
    }
}
