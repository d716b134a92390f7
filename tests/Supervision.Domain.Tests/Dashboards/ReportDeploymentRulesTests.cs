using Supervision.Domain.Dashboards;

namespace Supervision.Domain.Tests.Dashboards;

public sealed class ReportDeploymentRulesTests
{
    private static readonly Period March = Period.Month(2026, 3);

    private static IReadOnlyList<string> Fields(ReportDeployment deployment) => ReportDeploymentRules.Validate(deployment, March).Select(e => e.Field).ToList();

    [Fact]
    public void A_complete_section_passes_and_an_absent_one_is_nothing_to_check()
    {
        Assert.Empty(Fields(new ReportDeployment([new("全县双随机工作部署会", new DateOnly(2026, 3, 10))], [new("关于开展2026年双随机抽查的通知", "鹿市监〔2026〕3号")],
            [new("县市场监管局", 2, 60, "双随机业务培训班", "抽查系统操作")])));
        Assert.Empty(ReportDeploymentRules.Validate(null, March));
        Assert.Empty(Fields(new ReportDeployment(null, null, null)));
    }

    [Fact]
    public void Each_missing_or_impossible_entry_is_named_by_its_field()
    {
        var fields = Fields(new ReportDeployment([new(" ", new DateOnly(2026, 4, 1))], [new("通知", "")], [new("", 0, -1)]));
        Assert.Equal(["deployment.meetings[0].name", "deployment.meetings[0].heldOn", "deployment.documents[0].number", "deployment.trainings[0].department",
            "deployment.trainings[0].sessions", "deployment.trainings[0].people"], fields);
        Assert.Equal(["deployment.documents"], Fields(new ReportDeployment([], [null!], [])));
        Assert.Equal(["deployment.documents[0].title"], Fields(new ReportDeployment([], [new(new string('文', 201), "1号")], [])));
    }

    [Fact]
    public void Normalising_trims_and_fills_absent_lists_so_equal_input_hashes_equally()
    {
        var a = new ReportDeployment([new(" 部署会 ", new DateOnly(2026, 3, 10))], null, [new(" 局 ", 1, 5, " ", null)]).Normalised();
        Assert.Equal("部署会", a.Meetings![0].Name);
        Assert.Empty(a.Documents!);
        Assert.Equal(("局", null), (a.Trainings![0].Department, a.Trainings[0].Name));
    }

    [Fact]
    public void Each_refusal_names_its_rule_code()
    {
        IReadOnlyList<string> Rules(ReportDeployment deployment) => ReportDeploymentRules.Validate(deployment, March).Select(e => e.Rule).Distinct().ToList();
        Assert.Equal(["report.deployment.required"], Rules(new ReportDeployment([], [null!], [])));
        Assert.Equal(["report.deployment.required"], Rules(new ReportDeployment([], [new("通知", "")], [])));
        Assert.Equal(["report.deployment.length"], Rules(new ReportDeployment([], [new(new string('文', ReportDeploymentRules.MaxText + 1), "1号")], [])));
        var documents = Enumerable.Range(1, ReportDeploymentRules.MaxEntries + 1).Select(n => new DeploymentDocument("通知", $"{n}号")).ToList();
        Assert.Equal(["report.deployment.entries"], Rules(new ReportDeployment([], documents, [])));
    }
}
