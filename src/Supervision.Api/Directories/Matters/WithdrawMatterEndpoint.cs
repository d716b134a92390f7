namespace Supervision.Api.Directories.Matters;

public static class WithdrawMatterEndpoint
{
    /// <summary>Withdraw a matter from the list; tasks can no longer name it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/matters/{matterId}/withdraw"), Tags("Matters")]
    public static (MatterView, Events) Post(WithdrawMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        CommandAnswers.StateAfter(matter, decision, MatterView.From);
}
