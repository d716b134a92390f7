using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Inspections;
using Supervision.Api.Revisits;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Tests.Revisits;

/// <summary>Revisits (随机抽查回访, issue 16) through the HTTP API: record, refuse, correct, count.</summary>
public sealed class RevisitTests
{
    private static DateTimeOffset China(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.FromHours(8));
    private static string Rule(JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task A_completed_case_is_revisited_by_its_department_or_one_above_never_by_its_inspectors_corrected_with_a_reason_and_counted()
    {
        var clock = new FakeTimeProvider(China(3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();

        // The county bureau sits under the city bureau (ParentDepartmentId); a third bureau of the county is neither.
        var admin = app.ClientFor("admin-rv", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130525", "隆尧县") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        await (await admin.PostJson("/api/departments", new RegisterDepartment("XT-RV-CITY", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null))).ShouldHaveStatus(201);
        var city = Department.IdFor("XT-RV-CITY");
        await (await admin.PostJson("/api/departments", new RegisterDepartment("XT-RV", "隆尧县市场监督管理局", DepartmentKind.MarketRegulation, "130525", city))).ShouldHaveStatus(201);
        await (await admin.PostJson("/api/departments", new RegisterDepartment("XT-RV-OTHER", "隆尧县卫生健康局", DepartmentKind.Other, "130525", null))).ShouldHaveStatus(201);
        var other = Department.IdFor("XT-RV-OTHER");

        var scenario = await new InspectionScenario(app, "XT-RV", "130525", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"RV-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, 16000);
        var (plan, task) = await scenario.ApprovedPlan("XT-RV-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];
        var matter = InspectionMatter.IdFor("XT-RV-SP");
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var teamMember = inspectionCase.Team[0].StaffCode;
        var member = scenario.ClientOf(teamMember);

        var cityInspector = app.ClientFor("rv-city", Roles.Inspector, city);
        var reviewer = app.ClientFor("rv-reviewer", Roles.Reviewer, scenario.Department);
        var colleague = app.ClientFor("rv-colleague", Roles.Inspector, scenario.Department);
        var stands = new RecordRevisit(new DateOnly(2026, 3, 10), "经营场所与登记一致，公示信息属实", RevisitVerdict.ResultStands, null, "回访核实检查结果");

        // Attack: a case not yet completed is not revisited.
        Assert.Equal("revisit.case-not-completed", Rule(await (await colleague.PostJson($"/api/cases/{caseId}/revisits", stands)).ReadNodeAs(409)));

        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 2), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 3), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results", new EnterResult(matter, "no-problem", null, null, null, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        Assert.Equal("revisit.case-not-completed", Rule(await (await colleague.PostJson($"/api/cases/{caseId}/revisits", stands)).ReadNodeAs(409)));
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        await (await reviewer.PostJson($"/api/cases/{caseId}/review", new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ShouldHaveStatus(200);

        // Attack: an inspector of the case does not revisit their own work (every team member, whatever the role they act under).
        foreach (var staffCode in inspectionCase.Team.Select(t => t.StaffCode))
            Assert.Equal("revisit.own-inspection", Rule(await (await scenario.ClientOf(staffCode).PostJson($"/api/cases/{caseId}/revisits", stands)).ReadNodeAs(403)));
        // Attack: a department that neither holds the case nor is above it (and a token without a department) finds no such case.
        await (await app.ClientFor("rv-other", Roles.Inspector, other).PostJson($"/api/cases/{caseId}/revisits", stands)).ShouldHaveStatus(404);
        await (await app.ClientFor("rv-nobody", Roles.Inspector).PostJson($"/api/cases/{caseId}/revisits", stands)).ShouldHaveStatus(404);
        // Attack: roles that do not record revisits.
        await (await scenario.Planner.PostJson($"/api/cases/{caseId}/revisits", stands)).ShouldHaveStatus(403);

        // Bad input names the field and the rule.
        var missedWithoutCode = stands with { Verdict = RevisitVerdict.ProblemMissed };
        Assert.Equal("revisit.result-code", Rule(await (await cityInspector.PostJson($"/api/cases/{caseId}/revisits", missedWithoutCode)).ReadNodeAs(400)));
        Assert.Equal("revisit.result-code", Rule(await (await cityInspector.PostJson($"/api/cases/{caseId}/revisits", missedWithoutCode with { ResultCode = "no-problem" })).ReadNodeAs(400)));
        Assert.Equal("date.future", Rule(await (await cityInspector.PostJson($"/api/cases/{caseId}/revisits", stands with { VisitedOn = new DateOnly(2026, 3, 11) })).ReadNodeAs(400)));

        // The city bureau (above the county bureau) finds a problem the inspection missed; two of the county's own staff find the result stands.
        var missed = await (await cityInspector.PostJson($"/api/cases/{caseId}/revisits",
            new RecordRevisit(new DateOnly(2026, 3, 9), "实际经营地址与登记住所不符", RevisitVerdict.ProblemMissed, "problem-pending", "检查时未核实住所"))).ReadNodeAs(201);
        Assert.Equal(scenario.Department, missed["value"]!["departmentId"]!.GetValue<Guid>());
        Assert.Equal("cn-2026.1", missed["value"]!["catalogueVersion"]!.GetValue<string>());
        var byReviewer = await (await reviewer.PostJson($"/api/cases/{caseId}/revisits", stands)).ReadNodeAs(201);
        var reviewerRevisit = byReviewer["value"]!["id"]!.GetValue<Guid>();
        await (await colleague.PostJson($"/api/cases/{caseId}/revisits", stands with { VisitedOn = new DateOnly(2026, 3, 5) })).ShouldHaveStatus(201);
        await (await colleague.PostJson($"/api/cases/{caseId}/revisits", stands with { VisitedOn = new DateOnly(2026, 2, 27) })).ShouldHaveStatus(201); // outside March

        var staff = app.ClientFor("rv-planner", Roles.Planner, scenario.Department);
        var march = await (await staff.GetAsync("/api/revisits/summary?from=2026-03-01&to=2026-03-31")).ReadAs<RevisitSummary>();
        var figures = Assert.Single(march.Departments);
        Assert.Equal((scenario.Department, 3L, 1L, 0.3333m), (figures.DepartmentId, figures.Revisits, figures.ProblemsMissed, figures.ProblemMissedShare));

        // A correction is a new event with a reason, by the department that recorded the revisit only, at the version it read.
        var correction = new CorrectRevisit(new DateOnly(2026, 3, 10), "复核发现年报公示信息与实际不符", RevisitVerdict.ProblemMissed, "problem-pending", "复核后更正回访结论", 1);
        Assert.Equal("revisit.correction-department", Rule(await (await cityInspector.PostJson($"/api/revisits/{reviewerRevisit}/corrections", correction)).ReadNodeAs(403)));
        Assert.Equal("reason.required", Rule(await (await reviewer.PostJson($"/api/revisits/{reviewerRevisit}/corrections", correction with { Reason = " " })).ReadNodeAs(400)));
        var corrected = await (await reviewer.PostJson($"/api/revisits/{reviewerRevisit}/corrections", correction)).ReadAs<Revisit>();
        Assert.Equal((RevisitVerdict.ProblemMissed, 1, 2L), (corrected.Verdict, corrected.Corrections, corrected.Version));
        await (await reviewer.PostJson($"/api/revisits/{reviewerRevisit}/corrections", correction)).ShouldHaveStatus(409); // stale version

        march = await (await staff.GetAsync("/api/revisits/summary?from=2026-03-01&to=2026-03-31")).ReadAs<RevisitSummary>();
        figures = Assert.Single(march.Departments);
        Assert.Equal((3L, 2L, 0.6667m), (figures.Revisits, figures.ProblemsMissed, figures.ProblemMissedShare));
        var february = await (await staff.GetAsync("/api/revisits/summary?from=2026-02-01&to=2026-02-28")).ReadAs<RevisitSummary>();
        Assert.Equal((1L, 0L, 0m), (february.Departments[0].Revisits, february.Departments[0].ProblemsMissed, february.Departments[0].ProblemMissedShare));

        // Scoped like the other lists: another department's staff, and a token without a department, count nothing of it.
        foreach (var outsider in new[] { app.ClientFor("rv-other-planner", Roles.Planner, other), app.ClientFor("rv-nobody-planner", Roles.Planner) })
            Assert.Empty((await (await outsider.GetAsync("/api/revisits/summary?from=2026-03-01&to=2026-03-31")).ReadAs<RevisitSummary>()).Departments);
        Assert.Equal("from.required", Rule(await (await staff.GetAsync("/api/revisits/summary?to=2026-03-31")).ReadNodeAs(400)));
        Assert.Equal("period.order", Rule(await (await staff.GetAsync("/api/revisits/summary?from=2026-04-01&to=2026-03-31")).ReadNodeAs(400)));

        // The 纪检 view shows the revisits in the case history, the correction with its reason.
        var entries = (await (await scenario.JijianA.GetAsync($"/api/history?id={caseId}&kind=revisit")).ReadNodeAs(200)).AsArray();
        Assert.Contains(entries, e => e!["type"]!.GetValue<string>() == "revisit_corrected" && e["why"]!.GetValue<string>() == "复核后更正回访结论");
        Assert.True(entries.Count(e => e!["type"]!.GetValue<string>() == "case_revisited") >= 3);
        Assert.All(entries, e => Assert.Equal("revisit", e!["kind"]!.GetValue<string>()));
    }
}
