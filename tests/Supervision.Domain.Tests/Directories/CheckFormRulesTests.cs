namespace Supervision.Domain.Tests.Directories;

public sealed class CheckFormRulesTests
{
    private static readonly Department City = Dept("XT-SCJGJ", "130500");
    private static readonly Department County = Dept("XTX-SCJGJ", "130521");
    private static readonly Department Unrelated = Dept("XT-SWJ", "130500");

    private static readonly Actor CityKeeper = new("keeper-city", "市局目录员", Roles.DirectoryKeeper, City.Id);
    private static readonly Actor CountyKeeper = new("keeper-county", "县局目录员", Roles.DirectoryKeeper, County.Id);

    private static readonly InspectionMatter Matter = new(
        InspectionMatter.IdFor("XT-FOOD-01"), "XT-FOOD-01", City.Id,
        [new MatterVersion(1, "食品经营者检查", "《食品安全法》第八十七条", "检查许可与台账", MatterCategory.General,
            [InspectionMethod.OnSite], 5m, 3m, 1, [])],
        [new MatterClaim(County.Id, 1)], Withdrawn: false, WithdrawalReason: null);

    private static Department Dept(string code, string region) =>
        new(Department.IdFor(code), code, code + " 局", DepartmentKind.MarketRegulation, region, null, Active: true);

    private static readonly IReadOnlyList<CheckFormItemInput> Items =
    [
        new("licence", "是否持有有效的食品经营许可证", AnswerType.YesNo, null, null, true, "《食品安全法》第三十五条"),
        new("storage", "贮存条件", AnswerType.Choice, ["符合", "基本符合", "不符合"], null, true, null),
        new("temp", "冷藏温度", AnswerType.Number, null, "℃", false, null),
        new("checked-on", "最近一次自查日期", AnswerType.Date, null, null, false, null),
        new("notes", "其他问题", AnswerType.Text, null, null, false, null),
    ];

    private static DefineCheckForm BaseForm(string code = "XT-FOOD-BASE", IReadOnlyList<CheckFormItemInput>? items = null) =>
        new(code, "食品经营者基础检查表", CheckFormKind.Base, Matter.Id, null, items ?? Items);

    private static DefineCheckForm CountyForm(string code = "XTX-FOOD-1", Guid? owner = null) =>
        new(code, "县局个性化检查表", CheckFormKind.DepartmentSpecific, Matter.Id, owner ?? County.Id, Items);

    private static object[] Accepted(Decision decision)
    {
        return [.. Decider.Accepted(decision)];
    }

    private static CheckFormTemplate Given(params object[] events) => Decider.Fold<CheckFormTemplate>(CheckFormRules.Evolve, events);

    private static CheckFormTemplate Defined(DefineCheckForm command, Department? owner = null) =>
        Given(Accepted(CheckFormRules.Decide(command, null, Matter, owner, null, CityKeeper)));

    private static DomainError Refused(Decision decision) => Assert.Single(decision.Errors);

    private static Decision DefineWithItems(params CheckFormItemInput[] items) =>
        CheckFormRules.Decide(BaseForm(items: items), null, Matter, null, null, CityKeeper);

    // ---- define ----

    [Fact]
    public void A_base_form_belongs_to_the_matters_owner_and_starts_at_version_1()
    {
        var defined = Assert.IsType<CheckFormDefined>(Assert.Single(Accepted(
            CheckFormRules.Decide(BaseForm("xt-food-base"), null, Matter, null, null, CityKeeper))));

        Assert.Equal(CheckFormTemplate.IdFor("XT-FOOD-BASE"), defined.FormId);
        Assert.Equal("XT-FOOD-BASE", defined.Code);
        Assert.Equal(City.Id, defined.OwnerDepartmentId);
        Assert.Equal(Matter.Id, defined.MatterId);
        Assert.Equal(1, defined.Definition.Number);
        Assert.Equal(["LICENCE", "STORAGE", "TEMP", "CHECKED-ON", "NOTES"], defined.Definition.Items.Select(i => i.Code));
    }

    [Fact]
    public void Items_keep_their_order_options_unit_and_legal_basis()
    {
        var form = Defined(BaseForm());
        var items = form.Latest().Items;
        Assert.Equal(["符合", "基本符合", "不符合"], items[1].Options);
        Assert.Empty(items[0].Options);
        Assert.Equal("℃", items[2].Unit);
        Assert.Equal("《食品安全法》第三十五条", items[0].LegalBasis);
        Assert.True(items[0].Required);
        Assert.False(items[4].Required);
    }

    [Fact]
    public void A_form_has_at_least_one_item()
    {
        Assert.Equal(("items", "form.items.empty"), Refused(DefineWithItems()) is var e ? (e.Field, e.Rule) : default);
        var nullItems = Refused(CheckFormRules.Decide(BaseForm() with { Items = null }, null, Matter, null, null, CityKeeper));
        Assert.Equal("form.items.empty", nullItems.Rule);
    }

    [Fact]
    public void Item_codes_are_unique_within_the_form_ignoring_case()
    {
        var error = Refused(DefineWithItems(
            new("q1", "甲", AnswerType.YesNo, null, null, true, null),
            new("Q1", "乙", AnswerType.YesNo, null, null, true, null)));
        Assert.Equal(("items[1].code", "form.item.code.duplicate"), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("是")]
    [InlineData(null)]
    [InlineData("是| 是 ")]
    [InlineData("是|")]
    public void A_choice_item_has_at_least_two_distinct_options(string? joined)
    {
        var options = joined?.Split('|');
        var error = Refused(DefineWithItems(new CheckFormItemInput("q1", "甲", AnswerType.Choice, options, null, true, null)));
        Assert.Equal(("items[0].options", "form.item.choice.options"), (error.Field, error.Rule));
    }

    [Fact]
    public void Options_belong_to_choice_items_and_units_to_number_items()
    {
        var decision = DefineWithItems(
            new("q1", "甲", AnswerType.YesNo, ["是", "否"], null, true, null),
            new("q2", "乙", AnswerType.Text, null, "kg", true, null));
        Assert.Equal(
            [("items[0].options", "form.item.options.unexpected"), ("items[1].unit", "form.item.unit.unexpected")],
            decision.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Fact]
    public void Every_item_error_is_reported_with_the_items_index()
    {
        var decision = DefineWithItems(
            new("ok", "好", AnswerType.YesNo, null, null, true, null),
            new("有 空格", " ", null, null, null, false, null));
        Assert.Equal(
            ["items[1].answerType", "items[1].code", "items[1].text"],
            decision.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains(decision.Errors, e => e.Rule == "form.item.answer-type.required");
        Assert.Contains(decision.Errors, e => e.Rule == "form.item.code.format");
        Assert.Contains(decision.Errors, e => e.Rule == "form.item.text.required");
    }

    [Fact]
    public void Every_input_error_of_the_form_is_reported_at_once()
    {
        var decision = CheckFormRules.Decide(new DefineCheckForm("x", "", null, null, null, []), null, null, null, null, CityKeeper);
        Assert.Equal(["code", "items", "kind", "matterId", "name"], decision.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_taken_code_is_a_conflict()
    {
        var existing = Defined(BaseForm());
        var error = Refused(CheckFormRules.Decide(BaseForm("xt-food-base"), existing, Matter, null, null, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "form.code.taken"), (error.Kind, error.Rule));
    }

    [Fact]
    public void A_matter_has_one_base_form()
    {
        var existing = Defined(BaseForm());
        var error = Refused(CheckFormRules.Decide(BaseForm("XT-FOOD-BASE-2"), null, Matter, null, existing, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "form.base.exists"), (error.Kind, error.Rule));
    }

    [Fact]
    public void A_base_form_cannot_name_another_owner()
    {
        var error = Refused(CheckFormRules.Decide(BaseForm() with { OwnerDepartmentId = County.Id }, null, Matter, County, null, CountyKeeper));
        Assert.Equal(("ownerDepartmentId", "form.owner.base"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_department_specific_form_is_added_by_a_department_that_owns_or_claimed_the_matter()
    {
        var byClaimer = Assert.IsType<CheckFormDefined>(Assert.Single(Accepted(
            CheckFormRules.Decide(CountyForm(), null, Matter, County, null, CountyKeeper))));
        Assert.Equal((CheckFormKind.DepartmentSpecific, County.Id), (byClaimer.Kind, byClaimer.OwnerDepartmentId));

        Assert.False(CheckFormRules.Decide(CountyForm("XT-FOOD-2", City.Id), null, Matter, City, null, CityKeeper).IsRejected);

        var error = Refused(CheckFormRules.Decide(CountyForm("XT-SWJ-1", Unrelated.Id), null, Matter, Unrelated, null, CityKeeper));
        Assert.Equal(("ownerDepartmentId", "form.owner.not-listed"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_department_specific_form_names_a_registered_department()
    {
        var missing = Refused(CheckFormRules.Decide(CountyForm() with { OwnerDepartmentId = null }, null, Matter, null, null, CountyKeeper));
        Assert.Equal(("ownerDepartmentId", "ownerDepartmentId.required"), (missing.Field, missing.Rule));
        var unknown = Refused(CheckFormRules.Decide(CountyForm(), null, Matter, null, null, CountyKeeper));
        Assert.Equal("department.unknown", unknown.Rule);
    }

    [Fact]
    public void A_form_needs_an_existing_matter_that_is_not_withdrawn()
    {
        var unknown = Refused(CheckFormRules.Decide(BaseForm(), null, null, null, null, CityKeeper));
        Assert.Equal(("matterId", "matter.unknown"), (unknown.Field, unknown.Rule));
        var withdrawn = Refused(CheckFormRules.Decide(BaseForm(), null, Matter with { Withdrawn = true }, null, null, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "matter.withdrawn"), (withdrawn.Kind, withdrawn.Rule));
    }

    // ---- versions ----

    [Fact]
    public void Publishing_makes_the_next_version_and_the_old_one_stays_readable()
    {
        var form = Defined(BaseForm());
        IReadOnlyList<CheckFormItemInput> next = [.. Items.Take(2), new("smoke", "是否设置防鼠防蝇设施", AnswerType.YesNo, null, null, true, null)];

        var published = Assert.IsType<CheckFormVersionPublished>(Assert.Single(Accepted(
            CheckFormRules.Decide(new PublishCheckFormVersion(next, "按 2024 年检查要点调整", 1), form, Matter, CityKeeper))));
        Assert.Equal(2, published.Definition.Number);

        var after = CheckFormRules.Evolve(form, published)!;
        Assert.Equal([1, 2], after.Versions.Select(v => v.Number));
        Assert.Equal(5, after.VersionNumbered(1)!.Items.Count);
        Assert.Equal(["LICENCE", "STORAGE", "SMOKE"], after.Latest().Items.Select(i => i.Code));
        Assert.Null(after.VersionNumbered(3));
    }

    [Fact]
    public void Publishing_the_same_items_again_is_a_no_op()
    {
        var form = Defined(BaseForm());
        var decision = CheckFormRules.Decide(new PublishCheckFormVersion(Items, "重复提交", 1), form, Matter, CityKeeper);
        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_new_version_is_checked_like_the_first_and_needs_a_reason()
    {
        var form = Defined(BaseForm());
        var decision = CheckFormRules.Decide(new PublishCheckFormVersion([], "", 1), form, Matter, CityKeeper);
        Assert.Equal(["form.items.empty", "reason.required"], decision.Errors.Select(e => e.Rule).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_retired_form_or_a_withdrawn_matter_takes_no_new_version()
    {
        var form = Defined(BaseForm());
        var retired = CheckFormRules.Evolve(form, Assert.Single(Accepted(CheckFormRules.Decide(new RetireCheckForm("并入新表", 1), form, CityKeeper))))!;
        Assert.True(retired.Retired);
        Assert.Equal("并入新表", retired.RetirementReason);

        var onRetired = Refused(CheckFormRules.Decide(new PublishCheckFormVersion(Items.Take(1).ToList(), "x", 2), retired, Matter, CityKeeper));
        Assert.Equal((ErrorKind.Conflict, "form.retired"), (onRetired.Kind, onRetired.Rule));

        var onWithdrawn = Refused(CheckFormRules.Decide(new PublishCheckFormVersion(Items.Take(1).ToList(), "x", 1), form, Matter with { Withdrawn = true }, CityKeeper));
        Assert.Equal("matter.withdrawn", onWithdrawn.Rule);
    }

    [Fact]
    public void Retiring_needs_a_reason_and_retiring_twice_is_a_no_op()
    {
        var form = Defined(BaseForm());
        Assert.Equal("reason.required", Refused(CheckFormRules.Decide(new RetireCheckForm(" ", 1), form, CityKeeper)).Rule);
        var retired = form with { Retired = true };
        var again = CheckFormRules.Decide(new RetireCheckForm("再次", 2), retired, CityKeeper);
        Assert.False(again.IsRejected);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void Name_based_ids_are_stable_across_versions_of_this_system() =>
        Assert.Equal(DeterministicId.For("check-form", "XT-FOOD-BASE"), CheckFormTemplate.IdFor("xt-food-base"));

    [Fact]
    public void A_form_has_a_well_formed_code_a_kind_and_at_most_the_item_limit_with_no_empty_item()
    {
        var rules = CheckFormRules.Decide(BaseForm("X") with { Kind = null }, null, Matter, null, null, CityKeeper).Errors.Select(e => e.Rule).ToList();
        Assert.Contains("form.code.format", rules);
        Assert.Contains("kind.required", rules);

        var tooMany = Enumerable.Range(0, CheckFormRules.MaxItems + 1).Select(i => Items[0] with { Code = $"item-{i}" }).ToList();
        Decider.Refused(CheckFormRules.Decide(BaseForm(items: tooMany), null, Matter, null, null, CityKeeper), "form.items.too-many");
        var error = Decider.Refused(CheckFormRules.Decide(BaseForm(items: [Items[0], null!]), null, Matter, null, null, CityKeeper), "form.item.required");
        Assert.Equal("items[1]", error.Field);
    }
}
