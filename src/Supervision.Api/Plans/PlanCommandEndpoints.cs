using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

// Every plan command names the version it was based on: two people acting on one plan at once cannot both win;
// the later gets 409 with the current version. Each is refused with 403 outside the plan's own department.

public static class ChangePlanDetailsEndpoint
{
    public static Decision Load(ChangePlanDetails command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Change a draft plan's name and implementing scheme; send the version last read (a stale one is 409).</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/details"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangePlanDetails command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class AddTaskEndpoint
{
    public static async Task<Decision> LoadAsync(AddTask command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Add a sampling task (抽查任务) to a draft plan: matters, target scope, sampling rule, window and joint departments.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(AddTask command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class ChangeTaskEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, taskNumber, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Replace a sampling task of a draft plan with a new definition.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks/{taskNumber}"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangeTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class RemoveTaskEndpoint
{
    public static Decision Load(RemoveTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, taskNumber, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Remove a sampling task from a draft plan.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/tasks/{taskNumber}/remove"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(RemoveTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class SubmitPlanEndpoint
{
    public static async Task<Decision> LoadAsync(SubmitPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Submit a draft plan for approval; it can no longer be changed unless the approver returns it.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/submit"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(SubmitPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class ApprovePlanEndpoint
{
    public static async Task<Decision> LoadAsync(ApprovePlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Approve a submitted plan (four eyes: not by the person who submitted it).</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/approve"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ApprovePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class ReturnPlanEndpoint
{
    public static Decision Load(ReturnPlan command, AnnualPlan plan, ClaimsPrincipal user) => PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Return a submitted plan to its planners with the reasons, for changes and a new submission.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/return"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ReturnPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class PublishPlanEndpoint
{
    public static async Task<Decision> LoadAsync(PublishPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver()).OwnDepartment(plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Publish an approved plan (公示): a frozen public copy appears at /api/public/plans and on the public pages.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/publish"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(PublishPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class StartPlanAdjustmentEndpoint
{
    public static Decision Load(StartPlanAdjustment command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Start an adjustment (调整) of a published plan, with the reason; it goes through approval and publication again.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/adjust"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanAdjustment command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class StartPlanExecutionEndpoint
{
    public static Decision Load(StartPlanExecution command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Start executing a published plan: its tasks can now be drawn.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/start"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanExecution command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class CompletePlanEndpoint
{
    public static Decision Load(CompletePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Mark a plan in execution as completed.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/complete"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(CompletePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class VoidPlanEndpoint
{
    public static Decision Load(VoidPlan command, AnnualPlan plan, ClaimsPrincipal user) => PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Void (作废) a plan with the reason; the act and its reason stay on record and count in oversight.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/void"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(VoidPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}

public static class FilePlanEndpoint
{
    public static Decision Load(FilePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner()).OwnDepartment(plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToPlanProblem();

    /// <summary>Record that the plan was filed (备案) with a supervising body: body, reference and date.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/filings"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(FilePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
