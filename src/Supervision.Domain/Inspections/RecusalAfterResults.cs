namespace Supervision.Domain.Inspections;

/// <summary>A result entered by an inspector who later recused: it stands in the record, but must be checked again before approval.</summary>
public sealed record ResultToRecheck(Guid DepartmentId, Guid MatterId, string EnteredBy);

/// <summary>
/// 回避 once results exist. The seed rule (邯商务〔2023〕2号, 附件1 2023年度“双随机、一公开”监管工作实施方案, 二（二）2 随机选派执法人员方式:
/// "被抽取的行政检查人员与被抽取的检查对象有利害关系的，应当回避，并重新抽取行政检查人员") presumes the recusal comes before the inspection. When it comes after results were
/// entered, an interested inspector has already shaped them (谁检查、谁录入), so:
/// <list type="bullet">
/// <item>the recusal is refused (409 <c>recusal.after-results</c>) unless the approver records, beside the recusal's reason, what becomes of the
/// entered results (<c>resultsDisposition</c>); the recusal endpoint is approver-only, so this is the approver's decision;</item>
/// <item>every current result the recused inspector entered is flagged for re-check in the team change event
/// (<see cref="CaseTeamChanged.ResultsToRecheck"/>); a flagged result clears only when a remaining member enters or corrects it, and until then
/// the department cannot submit, nor a reviewer approve, its results (<c>results.recheck-pending</c>).</item>
/// </list>
/// Results entered by others stay as they are: the team that remains answers for them.
/// </summary>
public static class RecusalAfterResults
{
    public const int MaxDispositionLength = 1000;

    public static bool HasResults(InspectionCase c) => c.Departments.Any(d => d.Results.Count > 0);

    /// <summary>Null when the recusal may go ahead; otherwise why it may not.</summary>
    public static DomainError? Check(InspectionCase? c, string? resultsDisposition)
    {
        if (c is null || !HasResults(c)) return null;
        if (!string.IsNullOrWhiteSpace(resultsDisposition))
        {
            if (Text.HasHiddenControl(resultsDisposition) || resultsDisposition.Trim().Length > MaxDispositionLength)
                return DomainError.Invalid("resultsDisposition", "resultsDisposition.format",
                    $"'resultsDisposition' is at most {MaxDispositionLength} characters without control characters.");
            return null;
        }
        var count = c.Departments.Sum(d => d.Results.Count);
        return DomainError.Conflict("resultsDisposition", "recusal.after-results",
            $"{count} result(s) are already entered on this case: a recusal now is recorded only with 'resultsDisposition', the approver's " +
            "decision on the entered results (the recused inspector's results are then flagged for re-check before they can be submitted or approved).");
    }

    /// <summary>The current results entered by the outgoing inspector.</summary>
    public static IReadOnlyList<ResultToRecheck> ResultsOf(InspectionCase c, TeamMember outgoing) =>
        c.Departments.SelectMany(d => d.Results.Where(r => Identity.Same(r.EnteredBy, outgoing.StaffCode))
            .Select(r => new ResultToRecheck(d.DepartmentId, r.MatterId, r.EnteredBy))).ToList();

    /// <summary>The team change for a recusal, carrying its effect on the results when there are any.</summary>
    public static CaseTeamChanged TeamChange(InspectionCase c, Guid outgoingInspectorId, TeamMember? incoming, string reason, string? resultsDisposition, Actor by)
    {
        var outgoing = c.Team.FirstOrDefault(m => m.InspectorId == outgoingInspectorId);
        return HasResults(c)
            ? new CaseTeamChanged(c.Id, outgoingInspectorId, incoming, reason, by, resultsDisposition!.Trim(), outgoing is null ? [] : ResultsOf(c, outgoing))
            : new CaseTeamChanged(c.Id, outgoingInspectorId, incoming, reason, by);
    }

    public static DomainError? PendingRecheck(InspectionCase c, Guid departmentId) =>
        c.ResultsToRecheck.Count(r => r.DepartmentId == departmentId) is var n and > 0
            ? DomainError.Conflict("departmentId", "results.recheck-pending",
                $"{n} result(s) entered by an inspector who later recused must be entered again or corrected by a remaining member first.")
            : null;
}
