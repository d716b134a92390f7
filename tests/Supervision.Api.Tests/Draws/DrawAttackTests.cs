using Supervision.Api.Draws;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Draws;

/// <summary>
/// The audit of issue 12, performed as a hostile insider would against the real service and database: each attack is refused
/// or detected, and each assertion names the rule that stops it.
/// </summary>
public sealed class DrawAttackTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private const int Year = 2027;

    private static async Task<string> Rule(HttpResponseMessage response, int status) =>
        (await response.ReadNodeAs(status))["violations"]![0]!["rule"]!.GetValue<string>();

    private async Task<(InspectionScenario Scenario, AnnualPlan Plan, string Task)> World(string department, string county, int targets = 30, int year = Year)
    {
        var scenario = await new InspectionScenario(app, department, county, year).Setup();
        await scenario.ImportTargets(targets, 20000 + int.Parse(county[^3..]) * 100);
        foreach (var n in Enumerable.Range(1, 4)) await scenario.Inspector($"{department}-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await scenario.ApprovedPlan(department + "-M");
        return (scenario, plan, task);
    }

    [Fact]
    public async Task Attack_1_extra_randomness_is_refused_by_source_count_moment_person_and_role()
    {
        var (s, plan, task) = await World("ATK-1", "130531");
        var committed = await s.Commit(await s.Schedule(plan, task));
        var url = $"/api/draws/{committed.Id}/randomness";

        // Before the declared moment: no value at all.
        Assert.Equal("randomness.source.too-early", await Rule(await s.JijianA.PostJson(url, new EnterRandomness("fc3d", "7 7 7")), 409));
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        // The planner alone can no longer add randomness (the audit's first move): not a 纪检.
        await (await s.Planner.PostJson(url, new EnterRandomness("fc3d", "7 7 7"))).ShouldHaveStatus(403);
        // Any other source name: refused, whoever enters it.
        Assert.Equal("randomness.source.undeclared", await Rule(await s.JijianA.PostJson(url, new EnterRandomness("drand", "abc")), 409));
        Assert.Equal("randomness.source.undeclared", await Rule(await s.JijianA.PostJson(url, new EnterRandomness("witness", "7 7 7")), 409));

        // One person cannot enter a value twice; the second entry must agree, and the first value is never shown.
        await (await s.JijianA.PostJson(url, new EnterRandomness("fc3d", "3 9 1"))).ShouldHaveStatus(200);
        Assert.Equal("randomness.second-entry.same-person", await Rule(await s.JijianA.PostJson(url, new EnterRandomness("fc3d", "3 9 1")), 409));
        var sameUserOtherSpelling = app.ClientFor("JIJIAN-A-ATK-1", Roles.DisciplineInspector, s.Department);
        Assert.Equal("randomness.second-entry.same-person", await Rule(await sameUserOtherSpelling.PostJson(url, new EnterRandomness("fc3d", "3 9 1")), 409));
        var disagree = await s.JijianB.PostJson(url, new EnterRandomness("fc3d", "3 9 2"));
        Assert.Equal("randomness.entries.disagree", await Rule(disagree, 409));
        var view = await (await s.Planner.GetAsync($"/api/draws/{committed.Id}")).ReadAs<DrawView>();
        Assert.Equal(["fc3d"], view.AwaitingSecondEntry);
        Assert.Empty(view.Randomness);
        foreach (var reader in new[] { s.Planner, s.JijianB })
        {
            var texts = await (await reader.GetAsync($"/api/draws/{committed.Id}")).Content.ReadAsStringAsync()
                + await (await reader.GetAsync($"/api/draws/{committed.Id}/record")).Content.ReadAsStringAsync()
                + await (await app.ClientFor("jj-history", Roles.DisciplineInspector, s.Department).GetAsync($"/api/history?id={committed.Id}")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("3 9 1", texts);
        }
        var recorded = await (await s.JijianB.PostJson(url, new EnterRandomness("fc3d", " 3  9 1 "))).ReadAs<DrawView>();
        Assert.Equal("3 9 1", recorded.Randomness.Single().Canonical);

        // A second value for the source, by anyone: refused. After the draw: refused.
        Assert.Equal("randomness.source.recorded", await Rule(await s.JijianA.PostJson(url, new EnterRandomness("fc3d", "0 0 0")), 409));
        var revealed = await (await s.JijianA.PostJson($"/api/draws/{committed.Id}/contribution", new RevealContribution(s.DisciplineContribution))).ReadAs<DrawView>();
        await (await s.Planner.PostJson($"/api/draws/{committed.Id}/draw", new PerformDraw(revealed.Version))).ShouldHaveStatus(200);
        Assert.Equal("draw.status", await Rule(await s.JijianB.PostJson(url, new EnterRandomness("fc3d", "7 7 7")), 409));

        // The record says who entered what and when: one act per value, with both people's digests.
        var record = await (await s.Planner.GetAsync($"/api/draws/{committed.Id}/record")).ReadAs<DrawRecordV2>();
        var act = record.Acts.Single(a => a.Split('|')[4] == "randomness").Split('|');
        Assert.NotEqual(act[3], act[7]);
        Assert.Equal(2, record.Actors!.Keys.Count(k => k.StartsWith("discipline-inspector:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Attack_1b_sources_are_declared_in_the_commitment_and_must_lie_in_the_future()
    {
        var (s, plan, task) = await World("ATK-1B", "130532");
        var past = new ScheduleDraw(plan.Id, task, null, null, [new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, app.Now.AddMinutes(-1), "福彩3D 已开奖的一期")]);
        Assert.Equal("draw.source.not-future", await Rule(await s.Planner.PostJson("/api/draws", past), 400));
        Assert.Equal("draw.sources.required", await Rule(await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null)), 400));
        // Proposed now, committed only after the moment passed: the commitment would not precede the value.
        var proposed = await s.Schedule(plan, task);
        // The staff record of a proposed draw: its files, no commitment yet, no acts (an outside audit saw a 500 here).
        var proposedRecord = await (await s.Planner.GetAsync($"/api/draws/{proposed.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.Equal(("", 0), (proposedRecord.Commitment, proposedRecord.Acts.Count));
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        Assert.Equal("draw.sources.not-future", await Rule(await s.JijianA.PostJson($"/api/draws/{proposed.Id}/commitment",
            new CommitDraw(s.DisciplineContributionSha256, proposed.Version)), 409));
        // The bytes themselves instead of their hash are refused (and would have been the secret).
        Assert.Equal("contribution.hash.format", await Rule(await s.JijianA.PostJson($"/api/draws/{proposed.Id}/commitment",
            new CommitDraw("not-a-hash", proposed.Version)), 400));
    }

    [Fact]
    public async Task Attack_2_no_table_holds_anything_that_predicts_the_draw_before_the_reveal()
    {
        var (s, plan, task) = await World("ATK-2", "130533");
        var committed = await s.Commit(await s.Schedule(plan, task));
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        await (await s.JijianA.PostJson($"/api/draws/{committed.Id}/randomness", new EnterRandomness("fc3d", "4 4 4"))).ShouldHaveStatus(200);
        await (await s.JijianB.PostJson($"/api/draws/{committed.Id}/randomness", new EnterRandomness("fc3d", "4 4 4"))).ShouldHaveStatus(200);
        // Every public value exists now. Read every row of every table, as someone holding the database would.
        var dump = await DumpEveryTable();
        Assert.DoesNotContain(s.DisciplineContribution, dump);
        Assert.Contains(s.DisciplineContributionSha256, dump); // only its hash, committed

        var revealed = await (await s.JijianA.PostJson($"/api/draws/{committed.Id}/contribution", new RevealContribution(s.DisciplineContribution))).ReadAs<DrawView>();
        var drawn = await (await s.Planner.PostJson($"/api/draws/{committed.Id}/draw", new PerformDraw(revealed.Version))).ReadAs<DrawView>();
        var record = await (await s.Planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        var department = record.Acts.Select(a => a.Split('|')).Single(f => f[4] == "contribution" && f[5] == "department")[6];
        Assert.Equal(Canonical.Lines(record.Commitment)[9].Split('|')[2], DrawV2.ContributionSha256(department));
        // The department's 32 bytes were nowhere in the database before the draw revealed them (sealed under a key outside it) ...
        Assert.DoesNotContain(department, dump);
        Assert.DoesNotContain(SupervisionApp.DrawSealKey, dump);
        // ... and nothing in /1's plaintext secret table was written for a /2 draw.
        Assert.DoesNotContain(drawn.Id.ToString(), await DumpTable("mt_doc_drawsecret"));
    }

    [Fact]
    public async Task Attack_3_only_the_discipline_office_of_the_department_or_above_acts_and_never_a_token_without_a_department()
    {
        var (s, plan, task) = await World("ATK-3", "130534");
        var other = await new InspectionScenario(app, "ATK-3-OTHER", "130535", Year).Setup();
        var proposed = await s.Schedule(plan, task);
        var commit = new CommitDraw(s.DisciplineContributionSha256, proposed.Version);
        var otherCounty = app.ClientFor("jj-other-county", Roles.DisciplineInspector, other.Department);
        var noDepartment = app.ClientFor("jj-nobody", Roles.DisciplineInspector);
        Assert.Equal("draw.discipline.out-of-scope", await Rule(await otherCounty.PostJson($"/api/draws/{proposed.Id}/commitment", commit), 403));
        Assert.Equal("draw.discipline.no-department", await Rule(await noDepartment.PostJson($"/api/draws/{proposed.Id}/commitment", commit), 403));
        await (await s.Planner.PostJson($"/api/draws/{proposed.Id}/commitment", commit)).ShouldHaveStatus(403);
        // A 纪检 of a department one level above (the city) may.
        var admin = app.ClientFor("admin-atk3", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("ATK-3-CITY-JJ", "邢台市纪委监委驻市场监管局纪检组", DepartmentKind.Other, "130500", null))).StatusCode is 201 or 409);
        var city = app.ClientFor("jj-city", Roles.DisciplineInspector, Department.IdFor("ATK-3-CITY-JJ"));
        var committed = await (await city.PostJson($"/api/draws/{proposed.Id}/commitment", commit)).ReadAs<DrawView>();
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        var url = $"/api/draws/{committed.Id}/randomness";
        Assert.Equal("draw.discipline.out-of-scope", await Rule(await otherCounty.PostJson(url, new EnterRandomness("fc3d", "1 2 3")), 403));
        Assert.Equal("draw.discipline.no-department", await Rule(await noDepartment.PostJson(url, new EnterRandomness("fc3d", "1 2 3")), 403));
        // Another department's planner cannot draw it either.
        var witnessed = await s.Witness(committed);
        Assert.Equal("draw.department.not-yours", await Rule(await other.Planner.PostJson($"/api/draws/{committed.Id}/draw", new PerformDraw(witnessed.Version)), 403));
    }

    [Fact]
    public async Task Attack_4_a_void_after_randomness_needs_a_countersignature_stays_public_and_the_redo_draws_from_the_same_pool()
    {
        // This year's plan, so that the dashboard of this year counts its draws.
        var (s, plan, task) = await World("ATK-4", "130536", targets: 60, year: DateTime.UtcNow.AddHours(8).Year);
        // Before any randomness could exist the approver alone may void (nothing could have been seen).
        var early = await s.Commit(await s.Schedule(plan, task));
        var voidedEarly = await (await s.Approver.PostJson($"/api/draws/{early.Id}/void", new RequestVoid("计划任务填写有误", null, early.Version))).ReadAs<DrawView>();
        Assert.Equal((DrawStatus.Voided, false), (voidedEarly.Status, voidedEarly.VoidedAfterRandomness));

        var drawn = await s.Draw(plan, task);
        var record1 = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();
        // The re-roll: the approver's void is only a request; the draw stands until a 纪检 countersigns.
        var requested = await (await s.Approver.PostJson($"/api/draws/{drawn.Id}/void", new RequestVoid("见证人未到场", null, drawn.Version))).ReadAs<DrawView>();
        Assert.Equal(DrawStatus.Drawn, requested.Status);
        Assert.Equal("draw.void.pending", await Rule(await s.Approver.PostJson($"/api/draws/{drawn.Id}/void", new RequestVoid("再次作废", null, requested.Version)), 409));
        await (await s.Approver.PostJson($"/api/draws/{drawn.Id}/void/countersignature", new CountersignVoid())).ShouldHaveStatus(403);
        // One person holding both roles cannot countersign their own void.
        var both = app.ClientFor("approver-ATK-4", Roles.DisciplineInspector, s.Department, Roles.Approver);
        Assert.Equal("draw.void.same-person", await Rule(await both.PostJson($"/api/draws/{drawn.Id}/void/countersignature", new CountersignVoid()), 409));
        // Not a fresh draw while the void is pending.
        Assert.Equal("draw.task.active", await Rule(await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, s.Sources())), 409));
        var voided = await (await s.JijianB.PostJson($"/api/draws/{drawn.Id}/void/countersignature", new CountersignVoid())).ReadAs<DrawView>();
        Assert.Equal((DrawStatus.Voided, true), (voided.Status, voided.VoidedAfterRandomness));

        // The voided outcome stays public, with the void chained onto the same record.
        var afterVoid = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();
        Assert.Equal(record1.Chain.Count + 1, afterVoid.Chain.Count);
        Assert.Equal("void", afterVoid.Chain[^1].Kind);
        var publicRecord = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.NotEmpty(publicRecord.Outputs.Targets);
        Assert.True(DrawV2.Verify(publicRecord, afterVoid.CommitmentSha256, afterVoid.RecordSha256).Matches);

        // A fresh draw (new pool, new chance) is refused: only a redo naming the voided draw, from its pool.
        Assert.Equal("draw.redo.required", await Rule(await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, s.Sources())), 409));
        var redo = await s.Schedule(plan, task, replaces: drawn.Id);
        Assert.Equal(drawn.PoolSize, redo.PoolSize);
        var voidedFiles = (await (await s.Planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>()).Files;
        var redoFiles = (await (await s.Planner.GetAsync($"/api/draws/{redo.Id}/record")).ReadAs<DrawRecordV2>()).Files;
        Assert.Equal((voidedFiles.Targets, voidedFiles.Inspectors, voidedFiles.Conflicts), (redoFiles.Targets, redoFiles.Inspectors, redoFiles.Conflicts));
        Assert.Contains($"P|replaces|{drawn.Id}\n", redoFiles.Parameters);
        // Its randomness is new and future; the voided one cannot be redone twice.
        Assert.Equal("draw.task.active", await Rule(await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, s.Sources(), drawn.Id)), 409));

        // Dashboards count it.
        var dashboard = (await (await s.Planner.GetAsync($"/api/dashboards/departments/{s.Department}?period={DateTime.UtcNow.AddHours(8).Year}")).ReadNodeAs(200))["dashboard"]!;
        Assert.Equal(1, dashboard["voidsAfterRandomness"]!.GetValue<int>());
        Assert.Equal(1, dashboard["redraws"]!.GetValue<int>());
        Assert.Equal(2, dashboard["longestRedoChain"]!.GetValue<int>());
    }

    [Fact]
    public async Task Attack_4c_a_void_after_the_discipline_reveal_publishes_the_outcome_it_stopped()
    {
        var (s, plan, task) = await World("ATK-4C", "130543");
        var witnessed = await s.Witness(await s.Commit(await s.Schedule(plan, task)));
        // Whoever holds the seal key could now compute the outcome privately; voiding it must not hide that outcome.
        var requested = await (await s.Approver.PostJson($"/api/draws/{witnessed.Id}/void", new RequestVoid("抽取前发现名录错误", null, witnessed.Version))).ReadAs<DrawView>();
        await (await s.JijianB.PostJson($"/api/draws/{witnessed.Id}/void/countersignature", new CountersignVoid())).ShouldHaveStatus(200);
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{witnessed.Id}/commitment")).ReadAs<PublicDrawSummary>();
        Assert.Equal(["commit", "randomness", "contribution", "contribution", "void"], published.Chain.Select(c => c.Kind));
        var record = await (await app.Anonymous().GetAsync($"/api/public/draws/{witnessed.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.True(DrawV2.Verify(record, published.CommitmentSha256, published.RecordSha256).Matches);
        var contributions = record.Acts.Select(a => a.Split('|')).Where(f => f[4] == "contribution").ToDictionary(f => f[5], f => f[6]);
        var stopped = DrawV2.Draw(record.Files, record.Commitment, [("fc3d", "3 9 1")], contributions["department"], contributions["discipline"], []);
        Assert.Equal(3, Canonical.Lines(stopped.Targets).Length);
        Assert.Equal(requested.Id, witnessed.Id);
    }

    [Fact]
    public async Task Attack_4b_a_void_can_name_corrections_and_only_those_leave_the_redo_pool()
    {
        var (s, plan, task) = await World("ATK-4B", "130537");
        var drawn = await s.Draw(plan, task);
        var gone = drawn.Targets[0].TargetId;
        var requested = await (await s.Approver.PostJson($"/api/draws/{drawn.Id}/void",
            new RequestVoid("该企业已于抽取前注销，名录未及时更新", [new PoolCorrection("target", gone)], drawn.Version))).ReadAs<DrawView>();
        Assert.Equal("draw.void.correction.unknown", await Rule(await s.Approver.PostJson($"/api/draws/{drawn.Id}/void",
            new RequestVoid("x", [new PoolCorrection("target", Guid.NewGuid())], requested.Version)), 400));
        await (await s.JijianA.PostJson($"/api/draws/{drawn.Id}/void/countersignature", new CountersignVoid())).ShouldHaveStatus(200);
        var redo = await s.Schedule(plan, task, replaces: drawn.Id);
        Assert.Equal(drawn.PoolSize - 1, redo.PoolSize);
        var files = (await (await s.Planner.GetAsync($"/api/draws/{redo.Id}/record")).ReadAs<DrawRecordV2>()).Files;
        Assert.Contains($"X|target|{gone}|", files.Exclusions);
        Assert.Contains("|corrected:该企业已于抽取前注销，名录未及时更新\n", files.Exclusions);
    }

    [Fact]
    public async Task Attack_5_forged_records_fail_against_the_published_hashes_in_every_verifier()
    {
        var (s, plan, task) = await World("ATK-5", "130538");
        var drawn = await s.Draw(plan, task);
        var target = drawn.Targets[0];
        var recused = await (await s.Approver.PostJson($"/api/draws/{drawn.Id}/recusals",
            new RecuseInspector(target.TargetId, target.Team[0]!.Value, "亲属关系", drawn.Version))).ReadAs<DrawView>();
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();
        var record = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.Equal(recused.RecordSha256, published.RecordSha256);
        // The record hash is also sealed into the integrity checkpoints anyone may keep.
        await (await app.ClientFor("admin-atk5", Roles.SystemAdmin).PostJson("/api/integrity/seal", new { })).ShouldHaveStatus(200);
        var checkpoints = await (await app.Anonymous().GetAsync("/api/public/integrity/checkpoints")).ReadNodeAs(200);
        Assert.Contains(checkpoints.AsArray().SelectMany(c => c!["drawRecords"]!.AsArray()),
            d => d!["drawId"]!.GetValue<Guid>() == drawn.Id && d["recordSha256"]!.GetValue<string>() == published.RecordSha256);

        // The forger changes the witness value, recomputes the outputs and the whole chain: consistent in itself ...
        var acts = record.Acts.ToList();
        var i = acts.FindIndex(a => a.Split('|')[4] == "randomness");
        var f = acts[i].Split('|');
        f[6] = "7 7 7";
        acts[i] = string.Join('|', f);
        var contributions = acts.Select(a => a.Split('|')).Where(x => x[4] == "contribution").ToDictionary(x => x[5], x => x[6]);
        var outputs = DrawV2.Draw(record.Files, record.Commitment, [("fc3d", "7 7 7")], contributions["department"], contributions["discipline"], []);
        var d = acts.FindIndex(a => a.Split('|')[4] == "draw");
        var df = acts[d].Split('|');
        (df[5], df[6], df[7]) = (Canonical.Sha256Hex(outputs.Targets), Canonical.Sha256Hex(outputs.Teams), Canonical.Sha256Hex(outputs.Batches));
        acts[d] = string.Join('|', df);
        acts.RemoveAll(a => a.Split('|')[4] == "inspector"); // and drops the recusal
        var forged = record with { Acts = acts, Outputs = outputs, RecordSha256 = DrawV2.ChainHead(record.CommitmentSha256, acts) };
        Assert.True(DrawV2.Verify(forged).Matches);
        // ... but not against what was published.
        var verdict = await (await app.Anonymous().PostAsJsonAsync($"/api/draws/verify?expectCommitment={published.CommitmentSha256}&expectRecord={published.RecordSha256}",
            forged, HttpExtensions.Json)).ReadAs<Verification>();
        Assert.Equal((false, "expect.record"), (verdict.Matches, verdict.Part));

        var folder = Directory.CreateTempSubdirectory("forged-").FullName;
        var path = Path.Combine(folder, "forged.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(forged, HttpExtensions.Json));
        var (python, dotnet) = await Supervision.DrawVerifier.Tests.Verifiers.RunBoth(path, "--expect-commitment", published.CommitmentSha256, "--expect-record", published.RecordSha256);
        Assert.True(dotnet.ExitCode == 1 && dotnet.Stdout.StartsWith("MISMATCH: expect.record"), dotnet.ToString());
        if (Supervision.DrawVerifier.Tests.Verifiers.PythonMissing is null)
            Assert.True(python.ExitCode == 1 && python.Stdout.StartsWith("MISMATCH: expect.record"), python.ToString());
        // A reason rewritten after the fact is also caught: reasons are inside the hashed acts.
        var reworded = record with { Acts = record.Acts.Select(a => a.Replace("亲属关系", "工作安排", StringComparison.Ordinal)).ToList() };
        reworded = reworded with { RecordSha256 = DrawV2.ChainHead(record.CommitmentSha256, reworded.Acts) };
        Assert.Equal("expect.record", DrawV2.Verify(reworded, published.CommitmentSha256, published.RecordSha256).Part);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Attack_6_the_public_record_needs_no_login_names_no_staff_and_follows_the_department_setting()
    {
        var (s, plan, task) = await World("ATK-6", "130539");
        var drawn = await s.Draw(plan, task);
        var anonymous = app.Anonymous();
        var publicJson = await (await anonymous.GetAsync($"/api/public/draws/{drawn.Id}/record")).Content.ReadAsStringAsync();
        foreach (var code in s.Inspectors.Keys) Assert.DoesNotContain(code, publicJson);
        Assert.DoesNotContain("planner-ATK-6", publicJson);
        Assert.DoesNotContain("jijian-a-ATK-6", publicJson);

        // 不预先告知: the department publishes records when the inspections start; the hash is public at once.
        var department = await (await app.ClientFor("admin-atk6", Roles.SystemAdmin).GetAsync($"/api/departments/{s.Department}")).ReadNodeAs(200);
        var set = await (await s.Approver.PutAsJsonAsync($"/api/departments/{s.Department}/draw-record-disclosure",
            new SetDrawRecordDisclosure("inspections-start", "检查不预先告知", department["version"]!.GetValue<long>()), HttpExtensions.Json)).ReadNodeAs(200);
        var other = await new InspectionScenario(app, "ATK-6-OTHER", "130540", Year).Setup();
        await (await other.Approver.PutAsJsonAsync($"/api/departments/{s.Department}/draw-record-disclosure",
            new SetDrawRecordDisclosure("immediately", "越权", set["version"]!.GetValue<long>()), HttpExtensions.Json)).ShouldHaveStatus(403);
        var (plan2, task2) = await s.ApprovedPlan("ATK-6-M2");
        var hidden = await s.Draw(plan2, task2);
        Assert.Equal("inspections-start", hidden.RecordPublic);
        var summary = await (await anonymous.GetAsync($"/api/public/draws/{hidden.Id}/commitment")).ReadAs<PublicDrawSummary>();
        Assert.False(summary.RecordIsPublic);
        Assert.Equal(hidden.RecordSha256, summary.RecordSha256);
        var refused = await anonymous.GetAsync($"/api/public/draws/{hidden.Id}/record");
        Assert.Equal(404, (int)refused.StatusCode);
        Assert.Contains(hidden.RecordSha256, await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attack_7_non_canonical_files_are_refused_by_every_verifier()
    {
        var (s, plan, task) = await World("ATK-7", "130541");
        var drawn = await s.Draw(plan, task);
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();
        var record = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        var lines = Canonical.Lines(record.Files.Targets);
        var unsorted = string.Join("", lines.Reverse().Select(l => l + "\n"));
        var cases = new (string Name, DrawRecordV2 Record)[]
        {
            ("unsorted", record with { Files = record.Files with { Targets = unsorted } }),
            ("crlf", record with { Files = record.Files with { Targets = record.Files.Targets.Replace("\n", "\r\n") } }),
            ("duplicate", record with { Files = record.Files with { Targets = record.Files.Targets + lines[^1] + "\n" } }),
            ("lowercase-escape", record with { Files = record.Files with { Sources = record.Files.Sources!.Replace("期开奖号码", "期开奖号码%7c") } }),
            ("non-nfc", record with { Files = record.Files with { Sources = record.Files.Sources!.Replace("期开奖号码", "期开奖号码cafe\u0301") } }),
        };
        foreach (var (name, bad) in cases)
        {
            var verdict = await (await app.Anonymous().PostAsJsonAsync($"/api/draws/verify?expectCommitment={published.CommitmentSha256}&expectRecord={published.RecordSha256}",
                bad, HttpExtensions.Json)).ReadAs<Verification>();
            Assert.False(verdict.Matches, name);
            Assert.StartsWith("canonical.", verdict.Part);
        }
    }

    [Fact]
    public async Task Attack_7b_targets_without_a_credit_class_are_listed_as_left_out_and_short_joint_teams_are_refused()
    {
        var s = await new InspectionScenario(app, "ATK-7B", "130542", Year).Setup();
        var admin = app.ClientFor("admin-atk7b", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/credit-schemes", new DefineCreditScheme("130000", ["A", "B", "C", "D"], "省局四级分类方案"))).StatusCode is 200 or 409);
        var csv = "credit_code,name,kind,region_code,status,credit_class,credit_class_set_on\n" + string.Join("\n", Enumerable.Range(0, 12).Select(n =>
            $"{TestData.CreditCode(77000 + n)},分类测试企业{n},Enterprise,130542,Operating,{(n < 4 ? "," : n < 8 ? "A,2026-01-05" : "D,2026-01-05")}"));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } };
        await (await s.Keeper.PostAsync("/api/targets/import", content)).ShouldHaveStatus(200);
        foreach (var n in Enumerable.Range(1, 3)) await s.Inspector($"ATK-7B-{n}", new DateOnly(2024, 1, 1));
        await (await s.Keeper.PostJson("/api/matters", new DefineMatter("ATK-7B-M", "分类抽查", "《条例》", s.Department, "内容", [InspectionMethod.OnSite], MatterCategory.General, 50m, null, null, []))).ShouldHaveStatus(201);
        var participants = new List<Participant> { new(s.Department, [new MatterRef(InspectionMatter.IdFor("ATK-7B-M"), 1)]) };
        var byClass = new TaskDefinition("分类抽查", TaskType.Undirected, s.Department, null, participants, new TargetFilter(RegionCode: "130542"), "辖区企业",
            new SamplingRule(null, null, [new ClassRatio("A", 25m)]), 2, new DateOnly(Year, 3, 1), new DateOnly(Year, 4, 30));
        var plan = await PlanWith(s, byClass);
        var proposed = await s.Schedule(plan, plan.Tasks[0].Number);
        var files = (await (await s.Planner.GetAsync($"/api/draws/{proposed.Id}/record")).ReadAs<DrawRecordV2>()).Files;
        Assert.Equal(4, Canonical.Lines(files.Targets).Length);                         // only class A
        Assert.Equal(4, Canonical.Lines(files.Exclusions).Count(l => l.EndsWith("|no-credit-class", StringComparison.Ordinal)));
        Assert.Equal(4, Canonical.Lines(files.Exclusions).Count(l => l.EndsWith("|class-not-sampled", StringComparison.Ordinal)));

        // A joint task whose second department has one inspector for a team slot each of 3 targets under a load cap of 1: refused with the numbers.
        var partner = await new InspectionScenario(app, "ATK-7B-TAX", "130542", Year).Setup();
        await partner.Inspector("ATK-7B-TAX-1", new DateOnly(2024, 1, 1));
        await (await partner.Keeper.PostJson("/api/matters", new DefineMatter("ATK-7B-TAXM", "税务检查", "《税收征管法》", partner.Department, "内容", [InspectionMethod.OnSite], MatterCategory.General, 50m, null, null, []))).ShouldHaveStatus(201);
        var joint = new TaskDefinition("联合抽查", TaskType.Undirected, s.Department, s.Department,
            [.. participants, new Participant(partner.Department, [new MatterRef(InspectionMatter.IdFor("ATK-7B-TAXM"), 1)])],
            new TargetFilter(RegionCode: "130542"), "辖区企业", new SamplingRule(25m, null, null), 2, new DateOnly(Year, 3, 1), new DateOnly(Year, 4, 30));
        var jointPlan = await PlanWith(s, joint);
        var refused = await (await s.Planner.PostJson("/api/draws", new ScheduleDraw(jointPlan.Id, jointPlan.Tasks[0].Number, 1, null, s.Sources()))).ReadNodeAs(409);
        Assert.Contains(refused["violations"]!.AsArray(), v => v!["rule"]!.GetValue<string>() == "draw.team.capacity" && v["message"]!.GetValue<string>().Contains(partner.Department.ToString()));
        // The team lists the lead department first.
        var ok = await s.Schedule(jointPlan, jointPlan.Tasks[0].Number);
        var parameters = (await (await s.Planner.GetAsync($"/api/draws/{ok.Id}/record")).ReadAs<DrawRecordV2>()).Files.Parameters;
        Assert.Contains($"P|team|01|{s.Department}|1\n", parameters);
        Assert.Contains($"P|team|02|{partner.Department}|1\n", parameters);
    }

    private static async Task<AnnualPlan> PlanWith(InspectionScenario s, TaskDefinition task)
    {
        var plan = (await (await s.Planner.PostJson("/api/plans", new DraftPlan(s.Department, Year, $"{Year}年度计划", null))).ReadNodeAs(201))["value"].Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        plan = await (await s.Planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(task, plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await s.Planner.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadAs<AnnualPlan>();
        return await (await s.Approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadAs<AnnualPlan>();
    }

    private async Task<string> DumpEveryTable()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("s", app.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        Assert.Contains("mt_events", tables);
        var text = new StringBuilder();
        foreach (var table in tables) text.Append(await DumpTable(table, connection));
        return text.ToString();
    }

    private async Task<string> DumpTable(string table, NpgsqlConnection? open = null)
    {
        var connection = open ?? new NpgsqlConnection(SupervisionApp.ConnectionString);
        if (open is null) await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand($"select coalesce(string_agg(t::text, E'\\n'), '') from {app.Schema}.\"{table}\" t", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            if (open is null) await connection.DisposeAsync();
        }
    }
}
