using Supervision.Domain.Inspections;

namespace Supervision.Domain.Revisits;

/// <summary>What a revisit (随机抽查回访) concluded about the inspection it checked.</summary>
public enum RevisitVerdict
{
    /// <summary>The original result stands.</summary>
    ResultStands,
    /// <summary>The revisit found a problem the inspection missed (counted by the discovery-rate figure).</summary>
    ProblemMissed,
}

/// <param name="VisitedOn">The day of the visit to the entity.</param>
/// <param name="Found">What the revisit found on the spot.</param>
/// <param name="ResultCode">With <see cref="RevisitVerdict.ProblemMissed"/>: the result the inspection should have recorded, from the catalogue in force.</param>
/// <param name="Reason">Why the revisiting person concludes what they conclude.</param>
public sealed record RecordRevisit(DateOnly? VisitedOn, string? Found, RevisitVerdict? Verdict, string? ResultCode, string? Reason);

/// <summary>A correction of a recorded revisit: the whole revisit as it should read, and why it is corrected.</summary>
public sealed record CorrectRevisit(DateOnly? VisitedOn, string? Found, RevisitVerdict? Verdict, string? ResultCode, string? Reason, long Version);

/// <summary>
/// A completed case was revisited: who (the actor), when (<paramref name="VisitedOn"/>), what was found, whether the original result
/// stands and why. <paramref name="DepartmentId"/> is the case's department the revisit checks (counted under it).
/// </summary>
public sealed record CaseRevisited(Guid RevisitId, Guid CaseId, Guid TargetId, Guid DepartmentId, DateOnly VisitedOn, string Found, RevisitVerdict Verdict,
    string? ResultCode, string? CatalogueVersion, string Reason, Actor By);

/// <summary>A revisit corrected: the new content replaces the old for every figure, the old stays in the stream.</summary>
public sealed record RevisitCorrected(Guid RevisitId, Guid CaseId, DateOnly VisitedOn, string Found, RevisitVerdict Verdict, string? ResultCode, string? CatalogueVersion,
    string Reason, Actor By);

/// <summary>The current state of a revisit (and the row the summary counts).</summary>
public sealed record Revisit(Guid Id, Guid CaseId, Guid TargetId, Guid DepartmentId, DateOnly VisitedOn, string Found, RevisitVerdict Verdict, string? ResultCode,
    string? CatalogueVersion, string Reason, string RecordedBy, Guid? RecorderDepartmentId, int Corrections) : IFolded<Revisit>
{
    public long Version { get; init; }

    public Revisit WithVersion(long version) => this with { Version = version };

    public static Revisit? StateAfter(Revisit? state, object @event) => RevisitRules.Evolve(state, @event);

    /// <summary>Whether the revisit found a problem the inspection missed; kept as a field so the summary counts it in SQL.</summary>
    public bool ProblemMissed => Verdict == RevisitVerdict.ProblemMissed;
}

public static class RevisitRules
{
    public const int MaxFoundLength = 2000;

    /// <summary>
    /// Records a revisit. The seeds ask for revisits of inspected entities to check the inspection's quality (issue 16, 随机抽查回访):
    /// only a completed case (every department's results approved, or closed) is revisited; the revisiting person was not one of its
    /// inspectors (no one checks their own work) and belongs to a department of the case or a department above one
    /// (<paramref name="parentOf"/> follows <c>Department.ParentDepartmentId</c>).
    /// </summary>
    public static Decision Decide(RecordRevisit command, Guid revisitId, InspectionCase c, Func<Guid, Guid?> parentOf, ResultCatalogue catalogue, DateOnly today, Actor by)
    {
        if (c.Status == CaseStatus.Withdrawn || !(c.Status == CaseStatus.Closed || (c.Departments.Count > 0 && c.AllApproved)))
            return Decision.Reject(DomainError.Conflict("caseId", "revisit.case-not-completed", "Only a completed case (its results approved) is revisited."));
        if (OriginalInspectors(c).Any(i => Identity.Same(i, by.UserId)))
            return Decision.Reject(DomainError.Forbidden("userId", "revisit.own-inspection", "An inspector of the case does not revisit it: the revisit checks their work."));
        if (DepartmentChecked(c, by.DepartmentId, parentOf) is not { } department)
            return Decision.Reject(DomainError.Forbidden("departmentId", "revisit.department",
                "A revisit is made by the department responsible for the case or a department above it."));
        var errors = Validate(command.VisitedOn, command.Found, command.Verdict, command.ResultCode, command.Reason, catalogue, today);
        if (errors.Count > 0) return Decision.Reject(errors);
        var problem = command.Verdict == RevisitVerdict.ProblemMissed;
        return Decision.Accept(new CaseRevisited(revisitId, c.Id, c.TargetId, department, command.VisitedOn!.Value, Text.Normalized(command.Found), command.Verdict!.Value,
            problem ? command.ResultCode!.Trim() : null, problem ? catalogue.Version : null, Text.Normalized(command.Reason), by));
    }

    /// <summary>A correction comes from the department that recorded the revisit, never from an inspector of the case; it states a reason.</summary>
    public static Decision Decide(CorrectRevisit command, Revisit revisit, InspectionCase c, ResultCatalogue catalogue, DateOnly today, Actor by)
    {
        if (OriginalInspectors(c).Any(i => Identity.Same(i, by.UserId)))
            return Decision.Reject(DomainError.Forbidden("userId", "revisit.own-inspection", "An inspector of the case does not revisit it: the revisit checks their work."));
        if (by.DepartmentId is null || by.DepartmentId != revisit.RecorderDepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "revisit.correction-department", "The department that recorded a revisit corrects it."));
        var errors = Validate(command.VisitedOn, command.Found, command.Verdict, command.ResultCode, command.Reason, catalogue, today);
        if (errors.Count > 0) return Decision.Reject(errors);
        var problem = command.Verdict == RevisitVerdict.ProblemMissed;
        return Decision.Accept(new RevisitCorrected(revisit.Id, revisit.CaseId, command.VisitedOn!.Value, Text.Normalized(command.Found), command.Verdict!.Value,
            problem ? command.ResultCode!.Trim() : null, problem ? catalogue.Version : null, Text.Normalized(command.Reason), by));
    }

    private static List<DomainError> Validate(DateOnly? visitedOn, string? found, RevisitVerdict? verdict, string? resultCode, string? reason, ResultCatalogue catalogue, DateOnly today)
    {
        var errors = new List<DomainError>();
        if (visitedOn is null) errors.Add(DomainError.Invalid("visitedOn", "visitedOn.required", "'visitedOn' is the day of the visit."));
        else if (visitedOn > today) errors.Add(DomainError.Invalid("visitedOn", "date.future", "A revisit cannot be recorded for a day in the future."));
        Text.RequireName(errors, "found", found, MaxFoundLength);
        Text.RequireReason(errors, reason, 1000);
        if (verdict is null)
            errors.Add(DomainError.Invalid("verdict", "verdict.required", "'verdict' is ResultStands or ProblemMissed."));
        else if (verdict == RevisitVerdict.ProblemMissed)
        {
            if (catalogue.Find(resultCode?.Trim()) is not { ProblemFound: true })
                errors.Add(DomainError.Invalid("resultCode", "revisit.result-code",
                    $"A missed problem names the result found: a result of catalogue {catalogue.Version} that records a problem ({string.Join(", ", catalogue.Results.Where(r => r.ProblemFound).Select(r => r.Code))})."));
        }
        else if (!string.IsNullOrWhiteSpace(resultCode))
            errors.Add(DomainError.Invalid("resultCode", "revisit.result-code.unexpected", "When the original result stands, no other result is named."));
        return errors;
    }

    /// <summary>Everyone who inspected: the team, and whoever entered or answered anything for the case (a later team change keeps them).</summary>
    public static IEnumerable<string> OriginalInspectors(InspectionCase c) =>
        c.Team.Select(m => m.StaffCode)
            .Concat(c.Departments.SelectMany(d => d.Results).SelectMany(r => r.History.Prepend(r)).Select(r => r.EnteredBy))
            .Concat(c.Departments.SelectMany(d => d.Forms).Select(f => f.AnsweredBy));

    /// <summary>
    /// The case's department the revisit checks: the revisiting person's own if it is one of the case's, else the first of the case's
    /// departments that theirs is above; null when it is neither.
    /// </summary>
    public static Guid? DepartmentChecked(InspectionCase c, Guid? revisitor, Func<Guid, Guid?> parentOf)
    {
        if (revisitor is not { } mine) return null;
        if (c.Departments.Any(d => d.DepartmentId == mine)) return mine;
        foreach (var record in c.Departments)
        {
            var seen = new HashSet<Guid>();
            for (var above = parentOf(record.DepartmentId); above is { } a && seen.Add(a); above = parentOf(a))
                if (a == mine) return record.DepartmentId;
        }
        return null;
    }

    public static Revisit? Evolve(Revisit? r, object @event) => @event switch
    {
        CaseRevisited e => new Revisit(e.RevisitId, e.CaseId, e.TargetId, e.DepartmentId, e.VisitedOn, e.Found, e.Verdict, e.ResultCode, e.CatalogueVersion, e.Reason,
            e.By.UserId, e.By.DepartmentId, 0),
        RevisitCorrected e when r is not null => r with
        {
            VisitedOn = e.VisitedOn,
            Found = e.Found,
            Verdict = e.Verdict,
            ResultCode = e.ResultCode,
            CatalogueVersion = e.CatalogueVersion,
            Reason = e.Reason,
            Corrections = r.Corrections + 1,
        },
        _ => r,
    };
}
