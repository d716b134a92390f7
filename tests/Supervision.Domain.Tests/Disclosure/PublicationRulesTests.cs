using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Disclosure;

/// <summary>
/// 一公开 of a result (PublicationRules): who publishes (谁检查、谁公开, 西华县 2022 (六)), only approved results, redactions and
/// withholding each with a legal basis (依法依规不适合公开), corrections as new revisions. The accepted paths that build the public copy
/// from a plan and a target are exercised end to end by the API's disclosure tests; these hold every refusal.
/// </summary>
public sealed class PublicationRulesTests
{
    private static readonly Guid Inspecting = Guid.NewGuid();
    private static readonly Guid Joint = Guid.NewGuid();
    private static readonly Actor Approver = new("approver-wang", "王审批", Roles.Approver, Inspecting);
    private static readonly Actor JointApprover = new("approver-zhao", "赵审批", Roles.Approver, Joint);
    private static readonly Actor Outsider = new("approver-qian", "钱审批", Roles.Approver, Guid.NewGuid());
    private static readonly DateOnly Today = new(2026, 4, 20);

    private static InspectionCase Case(ReviewStatus review = ReviewStatus.Approved, params Guid[] departments) => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "2026001-01", Guid.NewGuid(), CaseStatus.Ended, [],
        (departments.Length == 0 ? [Inspecting] : departments).Select(d => new DepartmentRecord(d, [], [], review, [], [])).ToList(),
        [], new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 10), [InspectionMethod.OnSite], DeadlineTrigger.InspectionEnded, null, false, false);

    /// <summary>The refusals below are decided before the public copy is built, so plan and target are not needed.</summary>
    private static PublicationSources Sources(InspectionCase inspectionCase) =>
        new(inspectionCase, null!, null!, "邢台市市场监督管理局", new Dictionary<Guid, InspectionMatter>());

    private static PublicResult Revision(InspectionCase c, int revision) => new(ResultPublication.IdFor(c.Id), revision, c.Id, "2026001", "2026001-01", "食品经营者抽查",
        TaskType.Undirected, "邢台市市场监督管理局", new DateOnly(2026, 4, 10), "某公司", "914403001922038216", [], [InspectionMethod.OnSite], null,
        new DateOnly(2026, 4, 15), revision == 1 ? null : revision - 1, revision == 1 ? null : "更正", []);

    private static ResultPublished Published(InspectionCase c) => new(ResultPublication.IdFor(c.Id), Revision(c, 1), [], Approver);

    private static DeciderSpec<ResultPublication> Publication() => Decider.For<ResultPublication>(PublicationRules.Evolve);

    private static readonly PublishResult Publish = new(Today, [], "责令改正");
    private static readonly WithholdResult Withhold = new(WithholdingGround.CommercialSecret, "《中华人民共和国反不正当竞争法》第九条", "含商业秘密");

    [Fact]
    public void Only_a_department_that_inspected_publishes_and_only_results_approved_by_every_department()
    {
        var inspected = Case();
        Publication().When(p => PublicationRules.Decide(Publish, p, Sources(inspected), Outsider, Today))
            .ThenRefused("publication.department", ErrorKind.Forbidden);
        Publication().When(p => PublicationRules.Decide(Publish, p, Sources(inspected), Approver with { DepartmentId = null }, Today))
            .ThenRefused("publication.department");

        var jointCaseHalfReviewed = Case(ReviewStatus.Submitted, Inspecting, Joint);
        Publication().When(p => PublicationRules.Decide(Publish, p, Sources(jointCaseHalfReviewed), JointApprover, Today))
            .ThenRefused("publication.not-approved", ErrorKind.Conflict);
    }

    [Fact]
    public void A_case_recorded_without_a_department_cannot_be_published()
    {
        var broken = Case(ReviewStatus.Approved, Guid.Empty, Inspecting);
        Publication().When(p => PublicationRules.Decide(Publish, p, Sources(broken), Approver, Today))
            .ThenRefused("case.invalid", ErrorKind.Invalid);
    }

    [Fact]
    public void A_publication_needs_its_date_and_every_redaction_names_a_redactable_field_and_its_legal_basis()
    {
        var inspected = Case();
        Publication().When(p => PublicationRules.Decide(Publish with { PublishedOn = null }, p, Sources(inspected), Approver, Today))
            .ThenRefused("publishedOn.required");
        var errors = Publication().When(p => PublicationRules.Decide(
            Publish with { Redactions = [new Redaction("inspectors", WithholdingGround.PersonalPrivacy, "《个人信息保护法》"), new Redaction(RedactableFields.EntityName, WithholdingGround.PersonalPrivacy, " ")] },
            p, Sources(inspected), Approver, Today)).Decision.Errors;
        Assert.Equal(["redaction.field", "redaction.basis"], errors.Select(e => e.Rule));
        Assert.All(errors, e => Assert.Equal("redactions", e.Field));
    }

    [Fact]
    public void A_withheld_result_is_not_published_and_a_published_one_is_corrected_not_withheld()
    {
        var inspected = Case();
        Publication()
            .Given(new ResultWithheld(ResultPublication.IdFor(inspected.Id), inspected.Id, Withhold.Ground!.Value, Withhold.LegalBasis, Withhold.Reason, Approver))
            .When(p => PublicationRules.Decide(Publish, p, Sources(inspected), Approver, Today))
            .ThenRefused("publication.withheld", ErrorKind.Conflict);

        Publication().Given(Published(inspected))
            .When(p => PublicationRules.Decide(Withhold, p, inspected, Inspecting, Approver))
            .ThenRefused("publication.published", ErrorKind.Conflict);
        // Publishing again what is published writes nothing.
        Publication().Given(Published(inspected))
            .When(p => PublicationRules.Decide(Publish, p, Sources(inspected), Approver, Today))
            .ThenNothingHappens();
    }

    [Fact]
    public void Withholding_names_its_ground_legal_basis_and_reason_and_is_decided_by_the_inspecting_department_once()
    {
        var inspected = Case();
        var missing = Publication().When(p => PublicationRules.Decide(new WithholdResult(null, " ", ""), p, inspected, Inspecting, Approver)).Decision.Errors;
        Assert.Equal(["ground.required", "legalBasis.required", "reason.required"], missing.Select(e => e.Rule));
        Publication().When(p => PublicationRules.Decide(Withhold, p, inspected, Inspecting, Outsider)).ThenRefused("publication.department");

        var withheld = new ResultWithheld(ResultPublication.IdFor(inspected.Id), inspected.Id, WithholdingGround.CommercialSecret, Withhold.LegalBasis, Withhold.Reason, Approver);
        Publication().When(p => PublicationRules.Decide(Withhold, p, inspected, Inspecting, Approver))
            .Then(withheld)
            .When(p => PublicationRules.Decide(Withhold, p, inspected, Inspecting, Approver))
            .ThenNothingHappens();
    }

    [Fact]
    public void A_correction_needs_a_reason_and_something_published_to_correct()
    {
        var inspected = Case();
        var correct = new CorrectPublication(Today, [], "已整改", "企业名称录入错误", 1);
        Publication().Given(Published(inspected))
            .When(p => PublicationRules.Decide(correct with { Reason = " " }, p!, Sources(inspected), Approver, Today))
            .ThenRefused("reason.required");
        // A withheld result has no public copy to correct.
        Publication()
            .Given(new ResultWithheld(ResultPublication.IdFor(inspected.Id), inspected.Id, WithholdingGround.StateSecret, "《保守国家秘密法》", "涉密", Approver))
            .When(p => PublicationRules.Decide(correct, p!, Sources(inspected), Approver, Today))
            .ThenRefused("publication.none", ErrorKind.Conflict);
        Publication().Given(Published(inspected))
            .When(p => PublicationRules.Decide(correct, p!, Sources(inspected), Outsider, Today))
            .ThenRefused("publication.department");
    }

    [Fact]
    public void Corrections_and_back_filled_outcomes_add_revisions_and_a_withdrawn_one_leaves_the_public_history_only()
    {
        var inspected = Case();
        var spec = Publication().Given(
            Published(inspected),
            new PublicationCorrected(ResultPublication.IdFor(inspected.Id), Revision(inspected, 2), [], "更正", Approver));
        Assert.Equal([1, 2], spec.State!.Revisions.Select(r => r.Revision));
        Assert.Equal(2, spec.State.Current!.Revision);

        spec.When(p => PublicationRules.Decide(new WithdrawRevision(WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条", "显示了姓名", 2), 1, p!, Approver))
            .Then(new PublicationRevisionWithdrawn(ResultPublication.IdFor(inspected.Id), inspected.Id, 1, WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条", "显示了姓名", Approver));
        Assert.Equal([2], spec.State!.PublicHistory().Select(r => r.Revision));
        Assert.Equal(2, spec.State.Revisions.Count);
        spec.When(p => PublicationRules.Decide(new WithdrawRevision(null, "x", "y", 3), 1, p!, Approver)).ThenRefused("ground.required");
    }
}
