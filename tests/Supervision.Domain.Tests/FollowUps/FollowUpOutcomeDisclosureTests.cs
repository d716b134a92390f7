using Supervision.Domain.Disclosure;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.FollowUps;

public sealed class FollowUpOutcomeDisclosureTests
{
    private static readonly Guid Department = Guid.NewGuid();
    private static readonly Actor Handler = new("h", "Handler", "FollowUpHandler", Department);
    private static readonly Guid CaseId = Guid.NewGuid();

    private static PublicResult Revision1(Guid id) => new(id, 1, CaseId, "P-1", "T-1", "Task", TaskType.Undirected, "市场监管局", new DateOnly(2026, 3, 10),
        "某公司", "914403001922038216", [], [InspectionMethod.OnSite], "待后续处理", new DateOnly(2026, 3, 10), null, null, []);

    private static FollowUpCase FollowUp() => new(FollowUpCase.IdFor(CaseId, Guid.Empty), CaseId, Guid.NewGuid(), Guid.Empty, Department, "problem-pending",
        [new Measure(1, MeasureKind.AbnormalOperationList, Department, new DateOnly(2026, 3, 24), null, true, null, [], null, false)], FollowUpStatus.Open, null);

    private static MeasureBackFilled BackFilled(FollowUpCase f) => new(f.Id, 1, "已列入经营异常名录", [], new DateOnly(2026, 3, 13), false, Handler);

    [Fact]
    public void An_outcome_on_a_published_case_makes_a_new_revision_published_the_same_day()
    {
        var id = ResultPublication.IdFor(CaseId);
        var publication = new ResultPublication(id, CaseId, Department, [Revision1(id)], false, null, null);
        var followUp = FollowUp();
        var disclosed = Assert.IsType<FollowUpOutcomeDisclosed>(Assert.Single(
            PublicationRules.DecideFollowUpOutcome(publication, followUp, BackFilled(followUp), "某市场监管局", new DateOnly(2026, 3, 16)).Events));
        Assert.Equal((2, new DateOnly(2026, 3, 16), 1), (disclosed.Content.Revision, disclosed.Content.PublishedOn, disclosed.Content.Corrects));
        Assert.Equal(new PublicFollowUpOutcome(followUp.Id, 1, MeasureKind.AbnormalOperationList, "已列入经营异常名录", new DateOnly(2026, 3, 13), "某市场监管局"),
            Assert.Single(disclosed.Content.FollowUpOutcomes));
        // Once public, the same outcome does not make another revision.
        var after = PublicationRules.Evolve(publication, disclosed)!;
        Assert.Empty(PublicationRules.DecideFollowUpOutcome(after, followUp, BackFilled(followUp), "某市场监管局", new DateOnly(2026, 3, 17)).Events);
    }

    [Fact]
    public void Nothing_reaches_the_public_for_an_unpublished_or_withheld_case()
    {
        var followUp = FollowUp();
        Assert.Empty(PublicationRules.DecideFollowUpOutcome(null, followUp, BackFilled(followUp), "x", new DateOnly(2026, 3, 16)).Events);
        var withheld = new ResultPublication(ResultPublication.IdFor(CaseId), CaseId, Department, [], true, WithholdingGround.StateSecret, "《保守国家秘密法》");
        Assert.Empty(PublicationRules.DecideFollowUpOutcome(withheld, followUp, BackFilled(followUp), "x", new DateOnly(2026, 3, 16)).Events);
    }

    [Fact]
    public void Only_the_publishing_department_withdraws_a_superseded_revision_and_the_public_history_leaves_it_out()
    {
        var id = ResultPublication.IdFor(CaseId);
        var publication = new ResultPublication(id, CaseId, Department, [Revision1(id), Revision1(id) with { Revision = 2, Corrects = 1 }], false, null, null);
        var approver = new Actor("a", "Approver", "Approver", Department);
        var command = new WithdrawRevision(WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条", "showed a name", 2);
        Assert.Equal("publication.department", PublicationRules.Decide(command, 1, publication, approver with { DepartmentId = Guid.NewGuid() }).Errors[0].Rule);
        Assert.Equal("revision.current", PublicationRules.Decide(command, 2, publication, approver).Errors[0].Rule);
        Assert.Equal("revision.unknown", PublicationRules.Decide(command, 3, publication, approver).Errors[0].Rule);
        Assert.Equal("legalBasis.required", PublicationRules.Decide(command with { LegalBasis = " " }, 1, publication, approver).Errors[0].Rule);
        var withdrawn = Assert.IsType<PublicationRevisionWithdrawn>(Assert.Single(PublicationRules.Decide(command, 1, publication, approver).Events));
        var after = PublicationRules.Evolve(publication, withdrawn)!;
        Assert.Equal([2], after.PublicHistory().Select(r => r.Revision));
        Assert.Equal(2, after.Revisions.Count); // kept internally
        Assert.Empty(PublicationRules.Decide(command, 1, after, approver).Events); // idempotent
    }
}
