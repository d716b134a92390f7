namespace Supervision.Domain.Tests.Directories;

public sealed class MatterRulesTests
{
    private static readonly Department Province = Dept("HB-SCJGJ", "130000");
    private static readonly Department City = Dept("XT-SCJGJ", "130500");
    private static readonly Department County = Dept("XTX-SCJGJ", "130521");
    private static readonly Department OtherCity = Dept("HD-SCJGJ", "130400");

    private static readonly Actor CityKeeper = new("keeper-city", "市局目录员", Roles.DirectoryKeeper, City.Id);
    private static readonly Actor CountyKeeper = new("keeper-county", "县局目录员", Roles.DirectoryKeeper, County.Id);

    private static readonly IReadOnlyDictionary<string, TagDefinition> Library = new Dictionary<string, TagDefinition>
    {
        ["QUAL-FOOD"] = Tag("QUAL-FOOD", TagScope.Inspector),
        ["QUAL-BOTH"] = Tag("QUAL-BOTH", TagScope.Both),
        ["TGT-ONLY"] = Tag("TGT-ONLY", TagScope.Target),
        ["QUAL-OLD"] = Tag("QUAL-OLD", TagScope.Inspector) with { Active = false },
    };

    private static readonly IReadOnlyDictionary<string, TagDefinition> NoTags = new Dictionary<string, TagDefinition>();

    private static Department Dept(string code, string region) =>
        new(Department.IdFor(code), code, code + " 局", DepartmentKind.MarketRegulation, region, null, Active: true);

    private static TagDefinition Tag(string code, TagScope scope) =>
        new(TagDefinition.IdFor(code), code, code, scope, Province.Id, null, Active: true);

    private static DefineMatter General(string code = "XT-FOOD-01", decimal? cap = 5m, decimal? ratio = 3m, string[]? qualifications = null) =>
        new(code, "食品经营者检查", "《中华人民共和国食品安全法》第八十七条", City.Id, "检查食品经营许可、进货查验记录",
            [InspectionMethod.OnSite, InspectionMethod.Documentary], MatterCategory.General, cap, ratio, 1, qualifications ?? ["qual-food"]);

    private static DefineMatter Key(string code = "XT-SAFETY-01", decimal? cap = null, decimal? ratio = 20m) =>
        new(code, "特种设备安全检查", "《中华人民共和国特种设备安全法》第五十七条", City.Id, "检查特种设备使用登记和定期检验",
            [InspectionMethod.OnSite], MatterCategory.Key, cap, ratio, 2, []);

    private static ReviseMatter Revision(DefineMatter d, string name, decimal? cap, decimal? ratio, long version, string reason = "法规修订") =>
        new(name, d.LegalBasis, d.Content, d.Methods, d.Category, cap, ratio, d.DefaultFrequencyPerYear, d.InspectorQualifications, reason, version);

    /// <summary>Given these events, the state the pure evolve builds.</summary>
    private static InspectionMatter Given(params object[] events) => Decider.Fold<InspectionMatter>(MatterRules.Evolve, events);

    private static InspectionMatter Defined(DefineMatter command) =>
        Given(Accepted(MatterRules.Decide(command, null, City, Library, CityKeeper)));

    private static object[] Accepted(Decision decision)
    {
        return [.. Decider.Accepted(decision)];
    }

    private static DomainError Refused(Decision decision) => Assert.Single(decision.Errors);

    private static InspectionMatter Apply(InspectionMatter state, Decision decision) =>
        Accepted(decision).Aggregate(state, (s, e) => MatterRules.Evolve(s, e)!);

    // ---- define ----

    [Fact]
    public void Codes_are_case_insensitive_and_map_to_one_stream()
    {
        Assert.Equal(InspectionMatter.IdFor("xt-food-01"), InspectionMatter.IdFor("XT-FOOD-01"));
        var defined = Assert.IsType<MatterDefined>(Assert.Single(Accepted(MatterRules.Decide(General("xt-food-01"), null, City, Library, CityKeeper))));
        Assert.Equal("XT-FOOD-01", defined.Code);
        Assert.Equal(InspectionMatter.IdFor("XT-FOOD-01"), defined.MatterId);
    }

    [Fact]
    public void A_defined_matter_is_version_1_with_normalized_methods_and_qualifications()
    {
        var command = General() with
        {
            Methods = [InspectionMethod.Documentary, InspectionMethod.OnSite, InspectionMethod.Documentary],
            InspectorQualifications = [" qual-food ", "QUAL-BOTH", "qual-food"],
            Name = "  食品经营者检查  ",
        };
        var defined = Assert.IsType<MatterDefined>(Assert.Single(Accepted(MatterRules.Decide(command, null, City, Library, CityKeeper))));

        Assert.Equal(1, defined.Definition.Number);
        Assert.Equal("食品经营者检查", defined.Definition.Name);
        Assert.Equal([InspectionMethod.OnSite, InspectionMethod.Documentary], defined.Definition.Methods);
        Assert.Equal(["QUAL-BOTH", "QUAL-FOOD"], defined.Definition.InspectorQualifications);
        Assert.Equal(City.Id, defined.OwnerDepartmentId);
        Assert.Equal(CityKeeper, defined.By);
    }

    [Fact]
    public void Every_input_error_is_reported_at_once_with_its_field()
    {
        var command = new DefineMatter("有 空格", "", " ", null, "", [], null, null, null, 0, ["NOPE"]);
        var decision = MatterRules.Decide(command, null, null, Library, CityKeeper);

        Assert.Equal(
            ["category", "code", "content", "defaultFrequencyPerYear", "inspectorQualifications", "legalBasis", "methods", "name", "ownerDepartmentId"],
            decision.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.All(decision.Errors, e => Assert.Equal(ErrorKind.Invalid, e.Kind));
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_key_matter_has_no_ratio_cap_and_a_cap_given_for_one_is_refused()
    {
        var ok = Defined(Key(cap: null, ratio: 80m));
        Assert.Null(MatterRules.MaxRatioFor(ok.Latest()));

        var error = Refused(MatterRules.Decide(Key(cap: 10m), null, City, Library, CityKeeper));
        Assert.Equal(("ratioCapPercent", "matter.ratio-cap.key"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_general_matter_requires_a_ratio_cap()
    {
        var error = Refused(MatterRules.Decide(General(cap: null, ratio: null), null, City, Library, CityKeeper));
        Assert.Equal(("ratioCapPercent", "ratioCapPercent.required"), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100.01")]
    public void A_ratio_cap_is_above_0_and_at_most_100_percent(string cap)
    {
        var error = Refused(MatterRules.Decide(General(cap: decimal.Parse(cap), ratio: null), null, City, Library, CityKeeper));
        Assert.Equal(("ratioCapPercent", "matter.ratio-cap.range"), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("0.5")]
    public void A_ratio_cap_at_the_edges_is_accepted(string cap) =>
        Assert.False(MatterRules.Decide(General(cap: decimal.Parse(cap), ratio: null), null, City, Library, CityKeeper).IsRejected);

    [Fact]
    public void A_general_matter_default_ratio_over_its_cap_is_refused()
    {
        var error = Refused(MatterRules.Decide(General(cap: 5m, ratio: 5.5m), null, City, Library, CityKeeper));
        Assert.Equal(("defaultRatioPercent", "matter.ratio.over-cap"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_default_ratio_equal_to_the_cap_is_accepted() =>
        Assert.False(MatterRules.Decide(General(cap: 5m, ratio: 5m), null, City, Library, CityKeeper).IsRejected);

    [Theory]
    [InlineData(MatterCategory.General, "0")]
    [InlineData(MatterCategory.Key, "0")]
    [InlineData(MatterCategory.Key, "101")]
    public void A_default_ratio_is_a_percentage_above_0_and_at_most_100(MatterCategory category, string ratio)
    {
        var command = category == MatterCategory.Key ? Key(ratio: decimal.Parse(ratio)) : General(ratio: decimal.Parse(ratio));
        var error = Refused(MatterRules.Decide(command, null, City, Library, CityKeeper));
        Assert.Equal(("defaultRatioPercent", "matter.ratio.range"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_default_frequency_is_at_least_once_a_year()
    {
        var error = Refused(MatterRules.Decide(General() with { DefaultFrequencyPerYear = 0 }, null, City, Library, CityKeeper));
        Assert.Equal(("defaultFrequencyPerYear", "matter.frequency.range"), (error.Field, error.Rule));
        Assert.False(MatterRules.Decide(General() with { DefaultFrequencyPerYear = null }, null, City, Library, CityKeeper).IsRejected);
    }

    [Fact]
    public void Without_a_method_the_matter_is_refused()
    {
        var error = Refused(MatterRules.Decide(General() with { Methods = null }, null, City, Library, CityKeeper));
        Assert.Equal(("methods", "matter.methods.empty"), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("NOPE", "tag.unknown")]
    [InlineData("QUAL-OLD", "tag.unknown")]
    [InlineData("TGT-ONLY", "tag.scope")]
    public void Qualifications_are_inspector_tags_of_the_library(string code, string rule)
    {
        var error = Refused(MatterRules.Decide(General(qualifications: [code]), null, City, Library, CityKeeper));
        Assert.Equal(("inspectorQualifications", rule), (error.Field, error.Rule));
    }

    [Fact]
    public void A_taken_code_is_a_conflict()
    {
        var existing = Defined(General());
        var error = Refused(MatterRules.Decide(General("xt-food-01"), existing, City, Library, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "code", "matter.code.taken"), (error.Kind, error.Field, error.Rule));
    }

    [Fact]
    public void An_unknown_or_deactivated_owner_is_refused()
    {
        var unknown = Refused(MatterRules.Decide(General(), null, null, Library, CityKeeper));
        Assert.Equal(("ownerDepartmentId", "department.unknown"), (unknown.Field, unknown.Rule));

        var closed = Refused(MatterRules.Decide(General(), null, City with { Active = false }, Library, CityKeeper));
        Assert.Equal("department.unknown", closed.Rule);
    }

    // ---- revise ----

    [Fact]
    public void A_revision_is_the_next_version_and_every_earlier_version_stays_readable()
    {
        var command = General(cap: 5m, ratio: 3m);
        var matter = Defined(command);

        var revised = Apply(matter, MatterRules.Decide(Revision(command, "食品经营者监督检查", cap: 10m, ratio: 8m, version: 1), matter, Library, CityKeeper));

        Assert.Equal([1, 2], revised.Versions.Select(v => v.Number));
        Assert.Equal("食品经营者监督检查", revised.Latest().Name);
        Assert.Equal(10m, MatterRules.MaxRatioFor(revised.Latest()));
        Assert.Equal("食品经营者检查", revised.VersionNumbered(1)!.Name);
        Assert.Equal(5m, MatterRules.MaxRatioFor(revised.VersionNumbered(1)!));
        Assert.Null(revised.VersionNumbered(3));
    }

    [Fact]
    public void A_revision_carries_the_full_definition_and_the_reason()
    {
        var command = General();
        var matter = Defined(command);
        var revised = Assert.IsType<MatterRevised>(Assert.Single(Accepted(
            MatterRules.Decide(Revision(command, "新名称", 6m, 2m, 1, reason: " 2024 年法规立改废释 "), matter, Library, CityKeeper))));

        Assert.Equal(2, revised.Definition.Number);
        Assert.Equal("2024 年法规立改废释", revised.Reason);
        Assert.Equal(command.LegalBasis, revised.Definition.LegalBasis);
        Assert.Equal(["QUAL-FOOD"], revised.Definition.InspectorQualifications);
    }

    [Fact]
    public void A_revision_that_changes_nothing_is_a_no_op()
    {
        var command = General();
        var matter = Defined(command);
        var decision = MatterRules.Decide(Revision(command, command.Name, command.RatioCapPercent, command.DefaultRatioPercent, 1), matter, Library, CityKeeper);
        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_revision_is_checked_like_a_definition_and_needs_a_reason()
    {
        var command = General();
        var matter = Defined(command);
        var decision = MatterRules.Decide(Revision(command, "x", cap: 5m, ratio: 9m, version: 1, reason: " "), matter, Library, CityKeeper);
        Assert.Equal(["matter.ratio.over-cap", "reason.required"], decision.Errors.Select(e => e.Rule).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_revision_may_turn_a_general_matter_into_a_key_one_without_a_cap()
    {
        var command = General();
        var matter = Defined(command);
        var revised = Apply(matter, MatterRules.Decide(
            Revision(command, command.Name, cap: null, ratio: 50m, version: 1) with { Category = MatterCategory.Key }, matter, Library, CityKeeper));
        Assert.Equal(MatterCategory.Key, revised.Latest().Category);
        Assert.Null(MatterRules.MaxRatioFor(revised.Latest()));
        Assert.Equal(MatterCategory.General, revised.VersionNumbered(1)!.Category);
    }

    // ---- withdraw ----

    [Fact]
    public void A_withdrawn_matter_cannot_be_revised_or_claimed()
    {
        var command = General();
        var matter = Apply(Defined(command), MatterRules.Decide(new WithdrawMatter("职责调整，事项取消", 1), Defined(command), CityKeeper));
        Assert.True(matter.Withdrawn);
        Assert.Equal("职责调整，事项取消", matter.WithdrawalReason);

        var revise = Refused(MatterRules.Decide(Revision(command, "x", 5m, 1m, 2), matter, Library, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "matter.withdrawn"), (revise.Kind, revise.Rule));
        var claim = Refused(MatterRules.Decide(new ClaimMatter(County.Id, 2), matter, City, County, CountyKeeper));
        Assert.Equal((ErrorKind.Conflict, "matter.withdrawn"), (claim.Kind, claim.Rule));
    }

    [Fact]
    public void Withdrawing_needs_a_reason_and_withdrawing_twice_is_a_no_op()
    {
        var matter = Defined(General());
        Assert.Equal("reason.required", Refused(MatterRules.Decide(new WithdrawMatter("", 1), matter, CityKeeper)).Rule);

        var withdrawn = Given(new MatterDefined(matter.Id, matter.Code, City.Id, matter.Latest(), CityKeeper), new MatterWithdrawn(matter.Id, "取消", CityKeeper));
        var again = MatterRules.Decide(new WithdrawMatter("再次取消", 2), withdrawn, CityKeeper);
        Assert.False(again.IsRejected);
        Assert.Empty(again.Events);
    }

    // ---- claim ----

    [Fact]
    public void A_county_department_claims_a_city_matter_at_its_current_version()
    {
        var command = General();
        var matter = Apply(Defined(command), MatterRules.Decide(Revision(command, "v2", 5m, 2m, 1), Defined(command), Library, CityKeeper));

        var claimed = Assert.IsType<MatterClaimed>(Assert.Single(Accepted(MatterRules.Decide(new ClaimMatter(County.Id, 2), matter, City, County, CountyKeeper))));
        Assert.Equal((County.Id, 2), (claimed.DepartmentId, claimed.ClaimedVersion));

        var state = MatterRules.Evolve(matter, claimed)!;
        Assert.True(state.IsClaimedBy(County.Id));
        Assert.True(state.IsListedFor(County.Id));
        Assert.True(state.IsListedFor(City.Id));
        Assert.False(state.IsListedFor(OtherCity.Id));
    }

    [Fact]
    public void A_department_of_the_same_region_may_claim()
    {
        var sameRegion = Dept("XT-SWJ", "130500");
        var matter = Defined(General());
        Assert.False(MatterRules.Decide(new ClaimMatter(sameRegion.Id, 1), matter, City, sameRegion, KeeperOf(sameRegion)).IsRejected);
    }

    [Fact]
    public void Claiming_twice_is_a_no_op()
    {
        var matter = Defined(General());
        var claimed = Apply(matter, MatterRules.Decide(new ClaimMatter(County.Id, 1), matter, City, County, CountyKeeper));
        var again = MatterRules.Decide(new ClaimMatter(County.Id, 2), claimed, City, County, CountyKeeper);
        Assert.False(again.IsRejected);
        Assert.Empty(again.Events);
        Assert.Single(claimed.Claims);
    }

    [Theory]
    [InlineData("HD-SCJGJ", "130400")]
    [InlineData("HDX-SCJGJ", "130421")]
    [InlineData("HB-SCJGJ", "130000")]
    public void A_department_outside_the_owners_region_or_above_it_cannot_claim(string code, string region)
    {
        var claimer = Dept(code, region);
        var error = Refused(MatterRules.Decide(new ClaimMatter(claimer.Id, 1), Defined(General()), City, claimer, KeeperOf(claimer)));
        Assert.Equal(("departmentId", "matter.claim.region"), (error.Field, error.Rule));
    }

    [Fact]
    public void The_owner_does_not_claim_its_own_matter()
    {
        var error = Refused(MatterRules.Decide(new ClaimMatter(City.Id, 1), Defined(General()), City, City, CityKeeper));
        Assert.Equal("matter.claim.owner", error.Rule);
    }

    /// <summary>The attack: a keeper claims for another department; refused as Forbidden (403) before anything else is looked at.</summary>
    [Fact]
    public void A_keeper_cannot_claim_for_another_department()
    {
        var error = Refused(MatterRules.Decide(new ClaimMatter(County.Id, 1), Defined(General()), City, County, CityKeeper));
        Assert.Equal(("departmentId", "actor.department.mismatch", ErrorKind.Forbidden), (error.Field, error.Rule, error.Kind));
    }

    private static Actor KeeperOf(Department department) => CityKeeper with { DepartmentId = department.Id };

    [Fact]
    public void An_unknown_or_deactivated_claimer_is_refused()
    {
        var matter = Defined(General());
        var unknown = Guid.NewGuid();
        Assert.Equal("department.unknown", Refused(MatterRules.Decide(new ClaimMatter(unknown, 1), matter, City, null, CountyKeeper with { DepartmentId = unknown })).Rule);
        Assert.Equal("department.unknown", Refused(MatterRules.Decide(new ClaimMatter(County.Id, 1), matter, City, County with { Active = false }, CountyKeeper)).Rule);
        Assert.Equal("departmentId.required", Refused(MatterRules.Decide(new ClaimMatter(null, 1), matter, City, null, CountyKeeper)).Rule);
    }

    [Fact]
    public void A_released_claim_takes_the_matter_off_the_claimers_list()
    {
        var matter = Defined(General());
        var claimed = Apply(matter, MatterRules.Decide(new ClaimMatter(County.Id, 1), matter, City, County, CountyKeeper));

        var released = Assert.IsType<MatterClaimReleased>(Assert.Single(Accepted(
            MatterRules.Decide(new ReleaseMatterClaim("本级不再承担该事项", 2), County.Id, claimed, CountyKeeper))));
        Assert.Equal((County.Id, 1, "本级不再承担该事项"), (released.DepartmentId, released.ClaimedVersion, released.Reason));

        var after = MatterRules.Evolve(claimed, released)!;
        Assert.Empty(after.Claims);
        Assert.False(after.IsListedFor(County.Id));
    }

    [Fact]
    public void Releasing_needs_a_reason_and_a_claim()
    {
        var matter = Defined(General());
        var notHeld = Refused(MatterRules.Decide(new ReleaseMatterClaim("x", 1), County.Id, matter, CountyKeeper));
        Assert.Equal((ErrorKind.NotFound, "matter.claim.unknown"), (notHeld.Kind, notHeld.Rule));
        Assert.Equal("reason.required", Refused(MatterRules.Decide(new ReleaseMatterClaim(" ", 1), County.Id, matter, CountyKeeper)).Rule);
    }

    [Fact]
    public void A_repeated_claim_event_does_not_duplicate_the_claim()
    {
        var matter = Defined(General());
        var claimed = Given(
            new MatterDefined(matter.Id, matter.Code, City.Id, matter.Latest(), CityKeeper),
            new MatterClaimed(matter.Id, County.Id, 1, CountyKeeper),
            new MatterClaimed(matter.Id, County.Id, 1, CountyKeeper));
        Assert.Single(claimed.Claims);
    }

    // ---- ratio rules for later slices ----

    [Theory]
    [InlineData("5", null)]
    [InlineData("0.01", null)]
    [InlineData("5.01", "matter.ratio.over-cap")]
    [InlineData("0", "matter.ratio.range")]
    [InlineData("100.5", "matter.ratio.range")]
    public void A_task_ratio_is_checked_against_a_general_matters_cap(string ratio, string? rule)
    {
        var version = Defined(General(cap: 5m, ratio: null)).Latest();
        Assert.Equal(rule, MatterRules.CheckRatio(version, decimal.Parse(ratio))?.Rule);
    }

    [Fact]
    public void A_key_matter_takes_any_ratio_up_to_100_percent()
    {
        var version = Defined(Key()).Latest();
        Assert.Null(MatterRules.CheckRatio(version, 100m));
        Assert.Equal(("taskRatio", "matter.ratio.range"), MatterRules.CheckRatio(version, 0m, "taskRatio") is { } e ? (e.Field, e.Rule) : default);
    }

    [Fact]
    public void The_max_ratio_is_null_for_key_and_the_cap_for_general_matters()
    {
        Assert.Null(MatterRules.MaxRatioFor(Defined(Key()).Latest()));
        Assert.Equal(5m, MatterRules.MaxRatioFor(Defined(General(cap: 5m, ratio: null)).Latest()));
    }

    // ---- filter and access ----

    [Fact]
    public void The_filter_keeps_matters_owned_or_claimed_by_the_department()
    {
        var owned = Defined(General("A-1"));
        var claimed = Apply(Defined(General("A-2")), MatterRules.Decide(new ClaimMatter(County.Id, 1), Defined(General("A-2")), City, County, CountyKeeper));

        var byCounty = new MatterFilter(DepartmentId: County.Id);
        Assert.False(byCounty.Matches(owned));
        Assert.True(byCounty.Matches(claimed));

        var byCity = new MatterFilter(DepartmentId: City.Id);
        Assert.True(byCity.Matches(owned));
        Assert.True(byCity.Matches(claimed));
    }

    [Fact]
    public void The_filter_reads_category_and_method_from_the_latest_version_and_hides_withdrawn_matters()
    {
        var general = Defined(General());
        var key = Defined(Key());
        var withdrawn = MatterRules.Evolve(Defined(General("W-1")), new MatterWithdrawn(InspectionMatter.IdFor("W-1"), "取消", CityKeeper))!;

        Assert.True(new MatterFilter(Category: MatterCategory.Key).Matches(key));
        Assert.False(new MatterFilter(Category: MatterCategory.Key).Matches(general));
        Assert.True(new MatterFilter(Method: InspectionMethod.Documentary).Matches(general));
        Assert.False(new MatterFilter(Method: InspectionMethod.Documentary).Matches(key));
        Assert.False(new MatterFilter().Matches(withdrawn));
        Assert.True(new MatterFilter(IncludeWithdrawn: true).Matches(withdrawn));
        Assert.True(new MatterFilter().Matches(general));
    }

    [Fact]
    public void Only_a_keeper_of_the_department_acts_for_it()
    {
        Assert.Null(MatterRules.CheckActsFor(CityKeeper, City.Id, "ownerDepartmentId"));
        Assert.Equal("actor.department.mismatch", MatterRules.CheckActsFor(CountyKeeper, City.Id, "ownerDepartmentId")?.Rule);
        Assert.NotNull(MatterRules.CheckActsFor(CityKeeper with { DepartmentId = null }, City.Id, "ownerDepartmentId"));
    }

    [Fact]
    public void The_lifecycle_of_a_matter_as_events()
    {
        var command = General();
        var state = Defined(command);
        state = Apply(state, MatterRules.Decide(new ClaimMatter(County.Id, 1), state, City, County, CountyKeeper));
        state = Apply(state, MatterRules.Decide(Revision(command, "v2", 8m, 8m, 2), state, Library, CityKeeper));
        state = Apply(state, MatterRules.Decide(new ReleaseMatterClaim("改由市局直接实施", 3), County.Id, state, CountyKeeper));
        state = Apply(state, MatterRules.Decide(new WithdrawMatter("事项合并", 4), state, CityKeeper));

        Assert.Equal([1, 2], state.Versions.Select(v => v.Number));
        Assert.Empty(state.Claims);
        Assert.True(state.Withdrawn);
        Assert.Equal("v2", state.Latest().Name);
    }

    [Fact]
    public void Name_based_ids_are_stable_across_versions_of_this_system() =>
        // Ids are derived from natural keys; a change here would orphan every existing stream.
        Assert.Equal(DeterministicId.For("matter", "XT-FOOD-01"), InspectionMatter.IdFor("xt-food-01"));

    [Fact]
    public void A_matter_has_a_well_formed_code_a_known_category_and_known_methods()
    {
        Decider.Refused(MatterRules.Decide(General(code: "内"), null, City, Library, CityKeeper), "matter.code.format");
        Decider.Refused(MatterRules.Decide(General() with { Category = null }, null, City, Library, CityKeeper), "category.required");
        Decider.Refused(MatterRules.Decide(General() with { Category = (MatterCategory)99 }, null, City, Library, CityKeeper), "category.unknown");
        Decider.Refused(MatterRules.Decide(General() with { Methods = [InspectionMethod.OnSite, (InspectionMethod)99] }, null, City, Library, CityKeeper),
            "matter.methods.unknown");
    }
}
