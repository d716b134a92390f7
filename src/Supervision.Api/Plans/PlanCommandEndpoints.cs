using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Domain.Kernel;
using Supervision.Domain.Plans;
using Wolverine.Http;
using Wolverine.Marten;

namespace Supervision.Api.Plans;

// Every plan command names the version it was based on: two people acting on one plan at once cannot both win;
// the later gets 409 with the current version. Each is refused with 403 outside the plan's own department.

internal static class PlanAnswer
{
    public static (AnnualPlan, Events) After(AnnualPlan plan, Decision decision) =>
        (decision.Events.Aggregate(plan, (s, e) => PlanRules.Evolve(s, e)!) with { Version = plan.Version + decision.Events.Count },
            new Events(decision.Events));
}

public static class ChangePlanDetailsEndpoint
{
    public static Decision Load(ChangePlanDetails command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/details"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangePlanDetails command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class AddTaskEndpoint
{
    public static async Task<Decision> LoadAsync(AddTask command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(AddTask command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class ChangeTaskEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, taskNumber, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks/{taskNumber}"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangeTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class RemoveTaskEndpoint
{
    public static Decision Load(RemoveTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, taskNumber, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks/{taskNumber}/remove"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(RemoveTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class SubmitPlanEndpoint
{
    public static async Task<Decision> LoadAsync(SubmitPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/submit"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(SubmitPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class ApprovePlanEndpoint
{
    public static async Task<Decision> LoadAsync(ApprovePlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/approve"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ApprovePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class ReturnPlanEndpoint
{
    public static Decision Load(ReturnPlan command, AnnualPlan plan, ClaimsPrincipal user) => PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/return"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ReturnPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class PublishPlanEndpoint
{
    public static async Task<Decision> LoadAsync(PublishPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver()).OwnDepartment(plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/publish"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(PublishPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class StartPlanAdjustmentEndpoint
{
    public static Decision Load(StartPlanAdjustment command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/adjust"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanAdjustment command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class StartPlanExecutionEndpoint
{
    public static Decision Load(StartPlanExecution command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/start"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanExecution command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class CompletePlanEndpoint
{
    public static Decision Load(CompletePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/complete"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(CompletePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class VoidPlanEndpoint
{
    public static Decision Load(VoidPlan command, AnnualPlan plan, ClaimsPrincipal user) => PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/void"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(VoidPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}

public static class FilePlanEndpoint
{
    public static Decision Load(FilePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/filings"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(FilePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        PlanAnswer.After(plan, decision);
}
