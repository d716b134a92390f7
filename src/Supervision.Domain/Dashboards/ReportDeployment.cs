namespace Supervision.Domain.Dashboards;

/// <summary>A meeting held to deploy the work (召开会议部署双随机工作): its name and the day it was held.</summary>
public sealed record DeploymentMeeting(string Name, DateOnly HeldOn);

/// <summary>A document issued on the work (印发双随机工作文件): its title and number (文号).</summary>
public sealed record DeploymentDocument(string Title, string Number);

/// <summary>
/// Training organised (组织业务培训): the county form asks the department, the sessions and the people; the city-department
/// form the course's name, the people and the content — both are kept, the name and content optional.
/// </summary>
public sealed record DeploymentTraining(string Department, int Sessions, int People, string? Name = null, string? Content = null);

/// <summary>
/// Section 一 安排部署情况 of both forms of 邢双随机办〔2022〕1号 (附件1 and 附件2, items 1–3): entered by the filing unit with
/// its report, since no event in the system records them. Part of the frozen, hashed content of the filing.
/// </summary>
public sealed record ReportDeployment(IReadOnlyList<DeploymentMeeting>? Meetings, IReadOnlyList<DeploymentDocument>? Documents,
    IReadOnlyList<DeploymentTraining>? Trainings)
{
    public static readonly ReportDeployment None = new([], [], []);

    /// <summary>The same section with absent lists as empty and text trimmed, so equal input freezes to equal content.</summary>
    public ReportDeployment Normalised() => new(
        (Meetings ?? []).Select(m => m with { Name = m.Name?.Trim() ?? "" }).ToList(),
        (Documents ?? []).Select(d => d with { Title = d.Title?.Trim() ?? "", Number = d.Number?.Trim() ?? "" }).ToList(),
        (Trainings ?? []).Select(t => t with { Department = t.Department?.Trim() ?? "", Name = Blank(t.Name), Content = Blank(t.Content) }).ToList());

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public static class ReportDeploymentRules
{
    public const int MaxEntries = 100;
    public const int MaxText = 200;

    /// <summary>
    /// Every entry names what the form asks for; meetings were held in the report's month (附件2 item 1: 本月召开会议), so a
    /// meeting dated outside it is a typing error or belongs to another month's report.
    /// </summary>
    public static IReadOnlyList<DomainError> Validate(ReportDeployment? deployment, Period month)
    {
        var errors = new List<DomainError>();
        if (deployment is null) return errors;
        foreach (var (field, entries) in new (string, System.Collections.IEnumerable?)[]
                     { ("deployment.meetings", deployment.Meetings), ("deployment.documents", deployment.Documents), ("deployment.trainings", deployment.Trainings) })
            if (entries?.Cast<object?>().Any(e => e is null) == true)
                errors.Add(DomainError.Invalid(field, "report.deployment.required", "An entry is empty (null)."));
        if (errors.Count > 0) return errors;
        var d = deployment.Normalised();
        void Text(string field, string? value, bool required, string what)
        {
            if (required && string.IsNullOrWhiteSpace(value))
                errors.Add(DomainError.Invalid(field, "report.deployment.required", $"{what} is required."));
            else if (value?.Length > MaxText)
                errors.Add(DomainError.Invalid(field, "report.deployment.length", $"{what} is at most {MaxText} characters."));
        }
        void Count(string field, int count)
        {
            if (count > MaxEntries) errors.Add(DomainError.Invalid(field, "report.deployment.entries", $"At most {MaxEntries} entries."));
        }
        Count("deployment.meetings", d.Meetings!.Count);
        Count("deployment.documents", d.Documents!.Count);
        Count("deployment.trainings", d.Trainings!.Count);
        for (var i = 0; i < d.Meetings!.Count; i++)
        {
            var m = d.Meetings[i];
            Text($"deployment.meetings[{i}].name", m.Name, true, "The meeting's name (会议名称)");
            if (!month.Contains(m.HeldOn))
                errors.Add(DomainError.Invalid($"deployment.meetings[{i}].heldOn", "report.deployment.meeting.month",
                    $"The meeting's date is in the report's month {month.Label} (邢双随机办〔2022〕1号 附件2 一.1: 本月召开会议)."));
        }
        for (var i = 0; i < d.Documents!.Count; i++)
        {
            Text($"deployment.documents[{i}].title", d.Documents[i].Title, true, "The document's title (文件名称)");
            Text($"deployment.documents[{i}].number", d.Documents[i].Number, true, "The document's number (文号)");
        }
        for (var i = 0; i < d.Trainings!.Count; i++)
        {
            var t = d.Trainings[i];
            Text($"deployment.trainings[{i}].department", t.Department, true, "The organising department (组织培训的部门)");
            Text($"deployment.trainings[{i}].name", t.Name, false, "The course's name (培训班名称)");
            Text($"deployment.trainings[{i}].content", t.Content, false, "The content (内容)");
            if (t.Sessions < 1)
                errors.Add(DomainError.Invalid($"deployment.trainings[{i}].sessions", "report.deployment.training.sessions", "Sessions (次数) is at least 1."));
            if (t.People < 1)
                errors.Add(DomainError.Invalid($"deployment.trainings[{i}].people", "report.deployment.training.people", "People trained (人数) is at least 1."));
        }
        return errors;
    }
}
