using System.Text;

namespace Supervision.Domain.Tests.Directories;

public sealed class InspectorRulesTests
{
    private static readonly Department Market =
        new(Department.IdFor("XT-SCJG"), "XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null, true);
    private static readonly Department Other =
        new(Department.IdFor("HD-SCJG"), "HD-SCJG", "邯郸市市场监督管理局", DepartmentKind.MarketRegulation, "130400", null, true);
    private static readonly Actor Keeper = new("keeper-1", "名录管理员", Roles.DirectoryKeeper, Market.Id);
    private static readonly DateOnly Today = new(2026, 3, 1);

    private static readonly Dictionary<string, TagDefinition> Library = new()
    {
        ["FOOD"] = Tag("FOOD", TagScope.Inspector),
        ["LAW"] = Tag("LAW", TagScope.Both),
        ["SMALL-BIZ"] = Tag("SMALL-BIZ", TagScope.Target),
        ["OLD"] = Tag("OLD", TagScope.Inspector) with { Active = false },
    };

    private static TagDefinition Tag(string code, TagScope scope) => new(TagDefinition.IdFor(code), code, code, scope, Market.Id, null, true);

    private static readonly CertificateInput Valid2024 = new("冀A-0001", new DateOnly(2024, 1, 1), new DateOnly(2028, 12, 31));

    private static RegisterInspector Register(string code = "xt-001", params CertificateInput[] certificates) =>
        new(code, "张三", Market.Id, "科员", "130521", certificates.Length == 0 ? [Valid2024] : certificates, ["food"]);

    /// <summary>Given the events of a decision, the state they fold to (with the version the store would give).</summary>
    private static Inspector Fold(Inspector? state, Decision decision)
    {
        var next = Decider.Accepted(decision).Aggregate(state, InspectorRules.Evolve)!;
        return next with { Version = (state?.Version ?? 0) + decision.Events.Count };
    }

    private static Inspector Registered(string code = "xt-001", params CertificateInput[] certificates) =>
        Fold(null, InspectorRules.Decide(Register(code, certificates), null, Market, Library, Today, Keeper));

    private static string Rule(Decision decision) => Assert.Single(decision.Errors).Rule;

    /// <summary>
    /// The attack: a keeper of another department registers into, or changes, this department's directory. Refused as Forbidden
    /// (403) before the command itself is looked at, so an outsider learns nothing from the other refusals.
    /// </summary>
    [Fact]
    public void A_keeper_of_another_department_is_forbidden_before_anything_else()
    {
        var outsider = Keeper with { DepartmentId = Other.Id };
        var register = InspectorRules.Decide(Register() with { Name = "" }, null, Market, Library, Today, outsider);
        var change = InspectorRules.Decide(new AddCertificate("C/3", null, new DateOnly(2029, 1, 1), 2), Registered(), Today, outsider);
        foreach (var decision in new[] { register, change })
        {
            var error = Assert.Single(decision.Errors);
            Assert.Equal(("departmentId", "inspector.department.not-yours", ErrorKind.Forbidden), (error.Field, error.Rule, error.Kind));
        }
    }

    // ---- registration ----

    [Fact]
    public void Registering_records_the_inspector_and_each_certificate_as_events()
    {
        var decision = InspectorRules.Decide(Register(), null, Market, Library, Today, Keeper);

        var registered = Assert.IsType<InspectorRegistered>(decision.Events[0]);
        Assert.Equal("XT-001", registered.StaffCode);
        Assert.Equal(Inspector.IdFor("XT-001"), registered.InspectorId);
        Assert.Equal(["FOOD"], registered.Tags);
        Assert.Equal(Today, registered.ActiveFrom);
        Assert.Equal(Keeper, registered.By);
        var certificate = Assert.IsType<CertificateAdded>(decision.Events[1]);
        Assert.Equal("冀A-0001", certificate.Number);
        Assert.Equal(2, decision.Events.Count);
    }

    [Fact]
    public void Staff_codes_are_case_insensitive_and_map_to_one_stream()
    {
        Assert.Equal(Inspector.IdFor("xt-001"), Inspector.IdFor("XT-001"));
        Assert.Equal(Inspector.IdFor(" XT-001 "), Inspector.IdFor("XT-001"));
        Assert.NotEqual(Inspector.IdFor("XT-001"), Department.IdFor("XT-001"));
    }

    [Fact]
    public void A_taken_staff_code_is_a_conflict()
    {
        var existing = Registered();
        var decision = InspectorRules.Decide(Register("XT-001"), existing, Market, Library, Today, Keeper);
        Assert.Equal("inspector.code.taken", Rule(decision));
        Assert.Equal(ErrorKind.Conflict, decision.Errors[0].Kind);
    }

    [Fact]
    public void Every_input_error_is_reported_at_once_with_its_field()
    {
        var decision = InspectorRules.Decide(
            new RegisterInspector("中文", "", null, new string('职', 101), "13", [new CertificateInput("", null, null)]),
            null, null, Library, Today, Keeper);

        Assert.Equal(
            ["certificates[0].expiresOn", "certificates[0].issuedOn", "certificates[0].number", "departmentId", "name", "post", "regionCode", "staffCode"],
            decision.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains(decision.Errors, e => e.Rule == "inspector.code.format");
        Assert.Contains(decision.Errors, e => e.Rule == "region.code.format");
        Assert.All(decision.Errors, e => Assert.Equal(ErrorKind.Invalid, e.Kind));
    }

    [Fact]
    public void An_unknown_department_is_refused_by_name()
    {
        var decision = InspectorRules.Decide(Register(), null, null, Library, Today, Keeper);
        var error = Assert.Single(decision.Errors);
        Assert.Equal(("departmentId", "department.unknown", ErrorKind.Invalid), (error.Field, error.Rule, error.Kind));
    }

    [Fact]
    public void A_deactivated_department_takes_no_new_inspectors()
    {
        var decision = InspectorRules.Decide(Register(), null, Market with { Active = false }, Library, Today, Keeper);
        Assert.Equal("department.inactive", Rule(decision));
    }

    [Fact]
    public void The_region_of_responsibility_lies_within_the_department_region()
    {
        var decision = InspectorRules.Decide(Register() with { RegionCode = "130421" }, null, Market, Library, Today, Keeper);
        Assert.Equal("inspector.region.outside-department", Rule(decision));

        var city = InspectorRules.Decide(Register() with { RegionCode = "130500" }, null, Market, Library, Today, Keeper);
        Assert.False(city.IsRejected);
    }

    [Theory]
    [InlineData("nope", "tag.unknown")]
    [InlineData("old", "tag.unknown")]
    [InlineData("small-biz", "tag.scope")]
    public void Tags_must_be_active_inspector_tags_of_the_library(string code, string rule)
    {
        var decision = InspectorRules.Decide(Register() with { Tags = [code] }, null, Market, Library, Today, Keeper);
        var error = Assert.Single(decision.Errors);
        Assert.Equal(("tags", rule), (error.Field, error.Rule));
    }

    [Fact]
    public void Tags_of_both_scopes_apply_to_inspectors_and_are_normalized()
    {
        var decision = InspectorRules.Decide(Register() with { Tags = [" law", "FOOD", "food", ""] }, null, Market, Library, Today, Keeper);
        Assert.Equal(["FOOD", "LAW"], Assert.IsType<InspectorRegistered>(decision.Events[0]).Tags);
    }

    [Fact]
    public void A_certificate_cannot_expire_before_it_is_issued()
    {
        var decision = InspectorRules.Decide(
            Register("XT-002", new CertificateInput("C-1", new DateOnly(2025, 6, 1), new DateOnly(2025, 5, 31))), null, Market, Library, Today, Keeper);
        var error = Assert.Single(decision.Errors);
        Assert.Equal(("certificates[0].expiresOn", "certificate.dates"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_certificate_already_expired_on_the_day_of_registration_is_refused()
    {
        var decision = InspectorRules.Decide(
            Register("XT-003", new CertificateInput("C-OLD", new DateOnly(2019, 1, 1), Today.AddDays(-1))), null, Market, Library, Today, Keeper);
        var error = Assert.Single(decision.Errors);
        Assert.Equal(("certificates[0].expiresOn", "certificate.expired"), (error.Field, error.Rule));
        Assert.Empty(decision.Events);

        var lastDay = InspectorRules.Decide(
            Register("XT-003", new CertificateInput("C-LAST", new DateOnly(2019, 1, 1), Today)), null, Market, Library, Today, Keeper);
        Assert.False(lastDay.IsRejected);
    }

    [Fact]
    public void The_same_certificate_listed_twice_is_refused()
    {
        var decision = InspectorRules.Decide(Register("XT-004", Valid2024, Valid2024 with { Number = "冀a-0001" }), null, Market, Library, Today, Keeper);
        Assert.Equal("certificate.number.duplicate", Rule(decision));
    }

    [Fact]
    public void An_inspector_without_certificates_may_be_registered_but_is_not_eligible()
    {
        var decision = InspectorRules.Decide(Register() with { Certificates = null }, null, Market, Library, Today, Keeper);
        var inspector = Fold(null, decision);
        Assert.Empty(inspector.Certificates);
        Assert.False(InspectorRules.IsEligibleOn(inspector, Today));
    }

    // ---- eligibility ----

    [Theory]
    [InlineData("2023-12-31", false)] // before the certificate is issued
    [InlineData("2024-01-01", true)]  // the day of issue counts
    [InlineData("2026-03-01", true)]
    [InlineData("2028-12-31", true)]  // the day of expiry counts
    [InlineData("2029-01-01", false)] // expired
    public void Eligible_only_while_a_certificate_is_valid(string day, bool eligible)
    {
        var inspector = Registered() with
        {
            StatusHistory = [new InspectorStatusEntry(InspectorStatus.Active, new DateOnly(2020, 1, 1), "registered")],
        };
        Assert.Equal(eligible, InspectorRules.IsEligibleOn(inspector, DateOnly.Parse(day)));
    }

    [Fact]
    public void Not_eligible_before_becoming_active()
    {
        var inspector = Registered();
        Assert.False(InspectorRules.IsEligibleOn(inspector, Today.AddDays(-1)));
        Assert.True(InspectorRules.IsEligibleOn(inspector, Today));
    }

    [Fact]
    public void A_suspension_counts_from_its_effective_day_and_a_reinstatement_from_its_own()
    {
        var inspector = Registered();
        inspector = Fold(inspector, InspectorRules.Decide(
            new ChangeInspectorStatus(InspectorStatus.Suspended, new DateOnly(2026, 4, 1), "立案调查期间暂停执法", inspector.Version), inspector, Keeper));
        inspector = Fold(inspector, InspectorRules.Decide(
            new ChangeInspectorStatus(InspectorStatus.Active, new DateOnly(2026, 6, 1), "调查结束恢复执法", inspector.Version), inspector, Keeper));

        Assert.True(InspectorRules.IsEligibleOn(inspector, new DateOnly(2026, 3, 31)));
        Assert.False(InspectorRules.IsEligibleOn(inspector, new DateOnly(2026, 4, 1)));
        Assert.False(InspectorRules.IsEligibleOn(inspector, new DateOnly(2026, 5, 31)));
        Assert.True(InspectorRules.IsEligibleOn(inspector, new DateOnly(2026, 6, 1)));
        Assert.Equal(InspectorStatus.Suspended, InspectorRules.StatusOn(inspector, new DateOnly(2026, 5, 1)));
        Assert.Equal(InspectorStatus.Active, inspector.Status);
    }

    [Fact]
    public void A_revoked_certificate_makes_an_inspector_ineligible()
    {
        var inspector = Registered();
        inspector = Fold(inspector, InspectorRules.Decide(new RevokeCertificate("证件遗失", inspector.Version), "冀a-0001", inspector, Keeper));
        Assert.True(Assert.Single(inspector.Certificates).Revoked);
        Assert.False(InspectorRules.IsEligibleOn(inspector, Today));
    }

    [Fact]
    public void A_renewed_certificate_restores_eligibility_after_the_old_one_expires()
    {
        var inspector = Registered("XT-005", new CertificateInput("C-1", new DateOnly(2022, 1, 1), new DateOnly(2026, 6, 30)));
        var later = new DateOnly(2026, 7, 1);
        Assert.False(InspectorRules.IsEligibleOn(inspector, later));

        inspector = Fold(inspector, InspectorRules.Decide(new AddCertificate("C-2", later, new DateOnly(2030, 6, 30), inspector.Version), inspector, Today, Keeper));
        Assert.True(InspectorRules.IsEligibleOn(inspector, later));
    }

    // ---- teams ----

    [Fact]
    public void A_team_needs_two_people_and_someone_who_is_not_an_outside_expert()
    {
        var staff = Registered("XT-010");
        var colleague = Registered("XT-011");
        var expert = Registered("XT-012") with { Expert = true };
        var expert2 = Registered("XT-013") with { Expert = true };

        Assert.False(InspectorRules.CanFormTeam([]));
        Assert.False(InspectorRules.CanFormTeam([staff]));
        Assert.False(InspectorRules.CanFormTeam([staff, staff]));
        Assert.True(InspectorRules.CanFormTeam([staff, colleague]));
        Assert.True(InspectorRules.CanFormTeam([staff, expert]));
        Assert.False(InspectorRules.CanFormTeam([expert, expert2]));
    }

    // ---- details, certificates, status ----

    [Fact]
    public void Changing_details_needs_a_reason_and_records_the_full_new_details()
    {
        var inspector = Registered();
        var missingReason = InspectorRules.Decide(new ChangeInspectorDetails("李四", null, null, null, null, " ", 1), inspector, Market, Library, Keeper);
        Assert.Equal("reason.required", Rule(missingReason));

        var decision = InspectorRules.Decide(
            new ChangeInspectorDetails(null, "副科长", "130500", true, ["law", "food"], "职务晋升", inspector.Version), inspector, Market, Library, Keeper);
        var changed = Assert.IsType<InspectorDetailsChanged>(Assert.Single(decision.Events));
        Assert.Equal(("张三", "副科长", "130500", true, "职务晋升"), (changed.Name, changed.Post, changed.RegionCode, changed.Expert, changed.Reason));
        Assert.Equal(["FOOD", "LAW"], changed.Tags);
    }

    [Fact]
    public void Changing_details_to_what_they_are_writes_nothing()
    {
        var inspector = Registered();
        var decision = InspectorRules.Decide(
            new ChangeInspectorDetails("张三", "科员", "130521", false, ["FOOD"], "no change", inspector.Version), inspector, Market, Library, Keeper);
        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void An_empty_post_clears_it_and_empty_tags_clear_them()
    {
        var inspector = Registered();
        var after = Fold(inspector, InspectorRules.Decide(new ChangeInspectorDetails(null, "", null, null, [], "清理", 1), inspector, Market, Library, Keeper));
        Assert.Null(after.Post);
        Assert.Empty(after.Tags);
    }

    [Fact]
    public void A_tag_retired_after_it_was_given_may_stay_but_not_be_newly_added()
    {
        var inspector = Registered() with { Tags = ["FOOD", "OLD"] };
        var keep = InspectorRules.Decide(new ChangeInspectorDetails("王五", null, null, null, ["FOOD", "OLD"], "改名", 1), inspector, Market, Library, Keeper);
        Assert.False(keep.IsRejected);

        var fresh = Registered();
        var add = InspectorRules.Decide(new ChangeInspectorDetails(null, null, null, null, ["FOOD", "OLD"], "加标签", 1), fresh, Market, Library, Keeper);
        Assert.Equal("tag.unknown", Rule(add));
    }

    [Fact]
    public void A_certificate_number_is_recorded_once_and_never_edited()
    {
        var inspector = Registered();
        var again = InspectorRules.Decide(new AddCertificate("冀A-0001", new DateOnly(2025, 1, 1), new DateOnly(2029, 1, 1), 2), inspector, Today, Keeper);
        Assert.Equal("certificate.number.taken", Rule(again));
        Assert.Equal(ErrorKind.Conflict, again.Errors[0].Kind);

        var bad = InspectorRules.Decide(new AddCertificate("C/3", null, new DateOnly(2029, 1, 1), 2), inspector, Today, Keeper);
        Assert.Equal(["certificate.issuedOn.required", "certificate.number.format"], bad.Errors.Select(e => e.Rule).Order(StringComparer.Ordinal));
        Assert.Equal(["issuedOn", "number"], bad.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Revoking_an_unknown_certificate_is_not_found_and_revoking_twice_is_harmless()
    {
        var inspector = Registered();
        var unknown = InspectorRules.Decide(new RevokeCertificate("x", 2), "NOPE", inspector, Keeper);
        Assert.Equal(ErrorKind.NotFound, Assert.Single(unknown.Errors).Kind);

        var revoked = Fold(inspector, InspectorRules.Decide(new RevokeCertificate("吊销", 2), "冀A-0001", inspector, Keeper));
        var twice = InspectorRules.Decide(new RevokeCertificate("吊销", 3), "冀A-0001", revoked, Keeper);
        Assert.False(twice.IsRejected);
        Assert.Empty(twice.Events);
        Assert.Equal("吊销", revoked.Certificates[0].RevocationReason);
    }

    [Fact]
    public void A_status_change_needs_status_day_and_reason_and_cannot_take_effect_before_the_last()
    {
        var inspector = Registered();
        var empty = InspectorRules.Decide(new ChangeInspectorStatus(null, null, "", 2), inspector, Keeper);
        Assert.Equal(["effectiveOn", "reason", "status"], empty.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));

        var backdated = InspectorRules.Decide(new ChangeInspectorStatus(InspectorStatus.Suspended, Today.AddDays(-1), "倒签", 2), inspector, Keeper);
        Assert.Equal("status.effective-date.order", Rule(backdated));

        var same = InspectorRules.Decide(new ChangeInspectorStatus(InspectorStatus.Active, Today, "已在职", 2), inspector, Keeper);
        Assert.Empty(same.Events);
    }

    [Fact]
    public void An_inspector_who_left_is_kept_but_no_longer_changes()
    {
        var inspector = Registered();
        inspector = Fold(inspector, InspectorRules.Decide(new ChangeInspectorStatus(InspectorStatus.Left, Today, "退休", 2), inspector, Keeper));
        Assert.False(InspectorRules.IsEligibleOn(inspector, Today));

        Assert.Equal("inspector.left", Rule(InspectorRules.Decide(new ChangeInspectorStatus(InspectorStatus.Active, Today, "返聘", 3), inspector, Keeper)));
        Assert.Equal("inspector.left", Rule(InspectorRules.Decide(new ChangeInspectorDetails("新名", null, null, null, null, "x", 3), inspector, Market, Library, Keeper)));
        Assert.Equal("inspector.left", Rule(InspectorRules.Decide(new AddCertificate("C-9", Today, Today.AddYears(1), 3), inspector, Today, Keeper)));
    }

    // ---- conflicts of interest (回避) ----

    [Fact]
    public void A_conflict_is_declared_naming_the_target_and_withdrawn_with_a_reason_but_never_edited()
    {
        var creditCode = Credit(1);
        var inspector = Registered();
        var declared = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Kinship, creditCode.ToLowerInvariant(), null, "配偶任该公司法定代表人", 2), inspector, Keeper);
        var e = Assert.IsType<ConflictOfInterestDeclared>(Assert.Single(declared.Events));
        Assert.Equal(creditCode, e.TargetCreditCode);
        inspector = Fold(inspector, declared);
        Assert.True(InspectorRules.HasConflictWith(inspector, creditCode, null));

        var again = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Kinship, creditCode, null, "again", 3), inspector, Keeper);
        Assert.Empty(again.Events);

        inspector = Fold(inspector, InspectorRules.Decide(new WithdrawConflictOfInterest("已离婚", 3), e.ConflictId, inspector, Keeper));
        Assert.False(InspectorRules.HasConflictWith(inspector, creditCode, null));
        var conflict = Assert.Single(inspector.Conflicts);
        Assert.True(conflict.Withdrawn);
        Assert.Equal("配偶任该公司法定代表人", conflict.Reason);
        Assert.Equal("已离婚", conflict.WithdrawalReason);

        // Declaring it again after withdrawal is a new declaration with a new id.
        var renewed = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Kinship, creditCode, null, "复婚", 4), inspector, Keeper);
        Assert.NotEqual(e.ConflictId, Assert.IsType<ConflictOfInterestDeclared>(Assert.Single(renewed.Events)).ConflictId);
    }

    [Fact]
    public void A_conflict_names_a_target_by_a_valid_credit_code_or_an_id()
    {
        var inspector = Registered();
        var none = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Other, null, null, "x", 2), inspector, Keeper);
        Assert.Equal("conflict.target.required", Rule(none));

        var wrong = Credit(2)[..17] + (Credit(2)[17] == '0' ? '1' : '0');
        var badCheck = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Investment, wrong, null, "持股", 2), inspector, Keeper);
        Assert.Equal("credit-code.check", Rule(badCheck));

        var byId = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.FormerEmployer, null, Guid.NewGuid(), "曾任职", 2), inspector, Keeper);
        Assert.False(byId.IsRejected);

        var noRelation = InspectorRules.Decide(new DeclareConflictOfInterest(null, Credit(3), null, "x", 2), inspector, Keeper);
        Assert.Equal("relation.required", Rule(noRelation));
    }

    [Fact]
    public void Withdrawing_an_unknown_conflict_is_not_found()
    {
        var decision = InspectorRules.Decide(new WithdrawConflictOfInterest("x", 2), Guid.NewGuid(), Registered(), Keeper);
        Assert.Equal(("conflict.unknown", ErrorKind.NotFound), (Rule(decision), decision.Errors[0].Kind));
    }

    [Fact]
    public void Conflict_ids_are_deterministic_per_inspector_and_declaration()
    {
        var inspector = Registered();
        var one = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Kinship, Credit(4), null, "x", 2), inspector, Keeper);
        var two = InspectorRules.Decide(new DeclareConflictOfInterest(ConflictRelation.Kinship, Credit(4), null, "x", 2), inspector, Keeper);
        Assert.Equal(((ConflictOfInterestDeclared)one.Events[0]).ConflictId, ((ConflictOfInterestDeclared)two.Events[0]).ConflictId);
    }

    // ---- transfer ----

    [Fact]
    public void A_transfer_moves_the_inspector_into_the_new_department_region()
    {
        var inspector = Registered();
        var outside = InspectorRules.Decide(new TransferInspector(Other.Id, null, "调动", 2), inspector, Other, Keeper);
        Assert.Equal("inspector.region.outside-department", Rule(outside));

        var moved = Fold(inspector, InspectorRules.Decide(new TransferInspector(Other.Id, "130400", "调动", 2), inspector, Other, Keeper));
        Assert.Equal((Other.Id, "130400"), (moved.DepartmentId, moved.RegionCode));

        Assert.Equal("transfer.same-department", Rule(InspectorRules.Decide(new TransferInspector(Market.Id, null, "x", 2), inspector, Market, Keeper)));
        Assert.Equal("department.unknown", Rule(InspectorRules.Decide(new TransferInspector(Guid.NewGuid(), null, "x", 2), inspector, null, Keeper)));
    }

    // ---- the filter ----

    [Fact]
    public void The_filter_holds_every_given_criterion_at_once()
    {
        var inspector = Registered() with { Tags = ["FOOD", "LAW"] };

        Assert.True(new InspectorFilter().Matches(inspector));
        Assert.True(new InspectorFilter(DepartmentId: Market.Id).Matches(inspector));
        Assert.False(new InspectorFilter(DepartmentId: Other.Id).Matches(inspector));
        Assert.True(new InspectorFilter(RegionCode: "130000").Matches(inspector));
        Assert.True(new InspectorFilter(RegionCode: "130500").Matches(inspector));
        Assert.True(new InspectorFilter(RegionCode: "130521").Matches(inspector));
        Assert.False(new InspectorFilter(RegionCode: "130400").Matches(inspector));
        Assert.True(new InspectorFilter(Tags: ["food", "law"]).Matches(inspector));
        Assert.False(new InspectorFilter(Tags: ["food", "drugs"]).Matches(inspector));
        Assert.True(new InspectorFilter(Status: InspectorStatus.Active, Expert: false).Matches(inspector));
        Assert.False(new InspectorFilter(Expert: true).Matches(inspector));
        Assert.True(new InspectorFilter(EligibleOn: Today).Matches(inspector));
        Assert.False(new InspectorFilter(EligibleOn: new DateOnly(2029, 1, 1)).Matches(inspector));
        Assert.False(new InspectorFilter(RegionCode: "130521", Expert: true).Matches(inspector));
    }

    [Fact]
    public void A_malformed_region_filter_is_refused()
    {
        Assert.Equal("region.code.format", Assert.Single(new InspectorFilter(RegionCode: "1305").Check()).Rule);
        Assert.Empty(new InspectorFilter(RegionCode: "130500").Check());
    }

    // ---- evolve ----

    [Fact]
    public void The_lifecycle_of_an_inspector_as_events()
    {
        var events = new List<object>();
        Inspector? state = null;
        void Apply(Decision decision)
        {
            events.AddRange(decision.Events);
            state = Fold(state, decision);
        }

        Apply(InspectorRules.Decide(Register(), null, Market, Library, Today, Keeper));
        Apply(InspectorRules.Decide(new AddCertificate("冀A-0002", new DateOnly(2026, 1, 1), new DateOnly(2031, 1, 1), state!.Version), state, Today, Keeper));
        Apply(InspectorRules.Decide(new RevokeCertificate("换发新证", state.Version), "冀A-0001", state, Keeper));
        Apply(InspectorRules.Decide(new ChangeInspectorDetails(null, "股长", null, null, null, "任命", state.Version), state, Market, Library, Keeper));
        Apply(InspectorRules.Decide(new ChangeInspectorStatus(InspectorStatus.Suspended, new DateOnly(2026, 5, 1), "病假", state.Version), state, Keeper));

        Assert.Equal(6, events.Count);
        Assert.Equal(6, state!.Version);
        Assert.Equal("股长", state.Post);
        Assert.Equal(InspectorStatus.Suspended, state.Status);
        Assert.Equal(2, state.StatusHistory.Count);
        Assert.Equal([true, false], state.Certificates.Select(c => c.Revoked));
        Assert.All(events, e => Assert.Contains(e.GetType(), InspectorRules.EventTypes));
    }

    [Fact]
    public void Unrelated_events_and_events_before_registration_leave_the_state_alone()
    {
        Assert.Null(InspectorRules.Evolve(null, new CertificateRevoked(Guid.NewGuid(), "X", "r", Keeper)));
        var inspector = Registered();
        Assert.Same(inspector, InspectorRules.Evolve(inspector, "something else"));
    }

    [Fact]
    public void Inspector_ids_are_stable_across_versions_of_this_system()
    {
        // Ids are derived from staff codes; a change here would orphan every existing stream.
        Assert.Equal(DeterministicId.For("inspector", "XT-001"), Inspector.IdFor("xt-001"));
    }

    // ---- bulk import ----

    private const string Header = "staff_code,name,post,region_code,certificate_number,certificate_issued_on,certificate_expires_on,expert,tags";

    private static InspectorImportPlan Import(string csv, IReadOnlyDictionary<Guid, Inspector>? existing = null, string sha = "abcdef0123456789")
    {
        var sheet = InspectorImport.Read(CsvFile.Parse(csv).ToList());
        return InspectorImport.Plan(sheet, Market.Id, Market, existing ?? new Dictionary<Guid, Inspector>(), Library, sha, "utf-8", Today, Keeper);
    }

    [Fact]
    public void An_import_registers_every_row_and_records_its_counts()
    {
        var plan = Import($"{Header}\nXT-100,赵一,科员,130521,C-100,2024-01-01,2028-12-31,否,FOOD;LAW\n" +
                          "XT-101,钱二,,130500,,,,是,\n");

        Assert.False(plan.IsRejected, string.Join("; ", plan.Errors.Select(e => $"{e.Row}/{e.Column}: {e.Rule}")));
        Assert.Equal(2, plan.Writes.Count);
        Assert.All(plan.Writes, w => Assert.Null(w.ExpectedVersion));
        Assert.Equal(2, plan.Writes[0].Events.Count);
        var expert = Assert.IsType<InspectorRegistered>(Assert.Single(plan.Writes[1].Events));
        Assert.True(expert.Expert);
        Assert.Null(expert.Post);
        Assert.Equal((2, 2, 0, 0), (plan.Completed!.Rows, plan.Completed.Registered, plan.Completed.Changed, plan.Completed.Unchanged));
        Assert.Equal(InspectorImport.IdFor(Market.Id, "abcdef0123456789"), plan.Completed.ImportId);
    }

    [Fact]
    public void One_bad_row_refuses_the_file_listing_every_bad_cell_with_its_line()
    {
        var plan = Import($"{Header}\n" +
                          "XT-100,赵一,科员,130521,C-100,2024-01-01,2028-12-31,否,FOOD\n" +
                          "XT-101,,科员,1305,C-101,2025-01-01,2024-01-01,否,\n" +
                          "XT-102,孙三,科员,130521,C-102,2024-13-01,,也许,NOPE\n" +
                          "XT-100,重复,科员,130521,,,,,\n" +
                          "XT-103,李四,科员,130521,,,,,NOPE\n" +
                          "short,row\n");

        Assert.True(plan.IsRejected);
        Assert.Empty(plan.Writes);
        Assert.Null(plan.Completed);
        Assert.Equal([3, 4, 5, 6, 7], plan.Errors.Select(e => e.Row).Distinct());
        Assert.Contains(plan.Errors, e => e is { Row: 3, Column: "name", Rule: "name.required" });
        Assert.Contains(plan.Errors, e => e is { Row: 3, Column: "region_code", Rule: "region.code.format" });
        Assert.Contains(plan.Errors, e => e is { Row: 3, Column: "certificate_expires_on", Rule: "certificate.dates" });
        Assert.Contains(plan.Errors, e => e is { Row: 4, Column: "certificate_issued_on", Rule: "date.format" });
        Assert.Contains(plan.Errors, e => e is { Row: 4, Column: "certificate_expires_on", Rule: "certificate.incomplete" });
        Assert.Contains(plan.Errors, e => e is { Row: 4, Column: "expert", Rule: "expert.format" });
        Assert.Contains(plan.Errors, e => e is { Row: 5, Column: "staff_code", Rule: "inspector.code.duplicate" });
        Assert.Contains(plan.Errors, e => e is { Row: 6, Column: "tags", Rule: "tag.unknown" });
        Assert.Contains(plan.Errors, e => e is { Row: 7, Rule: "csv.row.width" });
    }

    [Fact]
    public void The_header_is_checked_before_any_row()
    {
        var plan = Import("staff_code,nmae,post\nXT-1,x,y\n");
        Assert.All(plan.Errors, e => Assert.Equal(1, e.Row));
        Assert.Contains(plan.Errors, e => e is { Column: "nmae", Rule: "csv.column.unknown" });
        Assert.Contains(plan.Errors, e => e is { Column: "name", Rule: "csv.column.missing" });

        Assert.Equal("csv.empty", Assert.Single(Import("").Errors).Rule);
        Assert.Equal("csv.empty", Assert.Single(Import(Header + "\n").Errors).Rule);
    }

    [Fact]
    public void Quoted_values_may_hold_commas_quotes_and_line_breaks_and_rows_are_numbered_by_their_first_line()
    {
        var plan = Import($"{Header}\r\n\"XT-200\",\"欧阳, 娜\",\"科员\n(兼)\",130521,,,,0,\r\nXT-201,\"王\"\"五\",,130521,,,,1,NOPE\r\n");
        Assert.Equal(4, Assert.Single(plan.Errors).Row);
        var ok = Import($"{Header}\r\n\"XT-200\",\"欧阳, 娜\",\"科员\n(兼)\",130521,,,,0,\r\n");
        var registered = Assert.IsType<InspectorRegistered>(Assert.Single(ok.Writes).Events[0]);
        Assert.Equal(("欧阳, 娜", "科员\n(兼)"), (registered.Name, registered.Post));
    }

    [Fact]
    public void Reimporting_rows_that_match_the_directory_changes_nothing_and_different_rows_change_details()
    {
        var first = Import($"{Header}\nXT-300,周六,科员,130521,C-300,2024-01-01,2028-12-31,0,FOOD\nXT-301,吴七,科员,130521,,,,0,\n");
        var existing = first.Writes
            .Select(w => w.Events.Aggregate((Inspector?)null, InspectorRules.Evolve)! with { Version = w.Events.Count })
            .ToDictionary(i => i.Id);

        var same = Import($"{Header}\nXT-300,周六,科员,130521,C-300,2024-01-01,2028-12-31,0,FOOD\n", existing, "feedface99999999");
        Assert.Empty(same.Writes);
        Assert.Equal(1, same.Completed!.Unchanged);

        var changed = Import($"{Header}\nXT-300,周六,副科长,130521,C-300,2024-01-01,2028-12-31,0,FOOD\nXT-301,吴七,科员,130521,C-301,2025-01-01,2030-01-01,0,\n",
            existing, "feedface99999999");
        Assert.Equal(2, changed.Completed!.Changed);
        var details = Assert.IsType<InspectorDetailsChanged>(Assert.Single(changed.Writes[0].Events));
        Assert.Equal(("副科长", "import feedface9999"), (details.Post, details.Reason));
        Assert.Equal(existing[Inspector.IdFor("XT-300")].Version, changed.Writes[0].ExpectedVersion);
        Assert.IsType<CertificateAdded>(Assert.Single(changed.Writes[1].Events));

        var redated = Import($"{Header}\nXT-300,周六,科员,130521,C-300,2024-02-01,2028-12-31,0,FOOD\n", existing);
        Assert.Equal("certificate.number.taken", Assert.Single(redated.Errors).Rule);
    }

    [Fact]
    public void A_staff_code_of_another_department_cannot_be_imported()
    {
        var theirs = Registered("HD-1") with { DepartmentId = Other.Id };
        var plan = Import($"{Header}\nHD-1,张三,科员,130521,,,,0,\n", new Dictionary<Guid, Inspector> { [theirs.Id] = theirs });
        var error = Assert.Single(plan.Errors);
        Assert.Equal((2, "staff_code", "inspector.code.taken"), (error.Row, error.Column, error.Rule));
    }

    [Fact]
    public void Import_files_are_identified_by_their_bytes_and_department()
    {
        var sha = InspectorImport.Sha256(Encoding.UTF8.GetBytes(Header));
        Assert.Equal(64, sha.Length);
        Assert.Equal(InspectorImport.IdFor(Market.Id, sha), InspectorImport.IdFor(Market.Id, sha));
        Assert.NotEqual(InspectorImport.IdFor(Market.Id, sha), InspectorImport.IdFor(Other.Id, sha));
    }

    [Fact]
    public void A_gb18030_file_is_read_and_a_file_in_neither_encoding_is_refused()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030").GetBytes($"{Header}\nXT-400,郑八,科员,130521,,,,否,\n");
        var (sheet, encoding, problem) = InspectorImport.Read(gb);
        Assert.Null(problem);
        Assert.Equal("gb18030", encoding);
        Assert.Equal("郑八", Assert.Single(sheet!.Rows).Name);

        var (_, _, unreadable) = InspectorImport.Read(new byte[] { 0xFF, 0xFE, 0xFF, 0x80 });
        Assert.Equal("csv.encoding", unreadable!.Rule);

        var (bom, bomEncoding, _) = InspectorImport.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{Header}\nXT-401,冯九,,130521,,,,,\n")]);
        Assert.Equal("utf-8-bom", bomEncoding);
        Assert.Equal("XT-401", Assert.Single(bom!.Rows).StaffCode);
    }

    private static string Credit(int n)
    {
        var first17 = $"91130500MA{n:D7}";
        return first17 + CreditCode.CheckCharacterFor(first17);
    }

    [Fact]
    public void A_registration_lists_no_empty_certificate_and_a_post_within_its_length_and_a_status_change_names_the_status()
    {
        var error = Decider.Refused(InspectorRules.Decide(Register() with { Certificates = [Valid2024, null!] }, null, Market, Library, Today, Keeper), "certificate.required");
        Assert.Equal("certificates[1]", error.Field);
        Decider.Refused(InspectorRules.Decide(Register() with { Post = new string('科', InspectorRules.MaxPostLength + 1) }, null, Market, Library, Today, Keeper),
            "post.too-long");
        var inspector = Registered();
        Decider.Refused(InspectorRules.Decide(new ChangeInspectorStatus(null, new DateOnly(2026, 4, 1), "调岗", inspector.Version), inspector, Keeper), "status.required");
    }
}
