using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed partial class CaseProjection : SingleStreamProjection<InspectionCase, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public CaseProjection()
    {
        IncludeType<CaseClosed>();
        IncludeType<CaseOpened>();
        IncludeType<CaseTeamChanged>();
        IncludeType<CaseWithdrawn>();
        IncludeType<CheckFormAnswered>();
        IncludeType<InspectionEnded>();
        IncludeType<InspectionNoticeRecorded>();
        IncludeType<InspectionStarted>();
        IncludeType<ResultCorrected>();
        IncludeType<ResultDeadlineSet>();
        IncludeType<ResultEntered>();
        IncludeType<ResultEntryDueRaised>();
        IncludeType<ResultEntryOverdueRaised>();
        IncludeType<ResultsApproved>();
        IncludeType<ResultsReturned>();
        IncludeType<ResultsSubmitted>();
        IncludeType<Supervision.Domain.Disclosure.PublicationDeadlineSet>();
        IncludeType<Supervision.Domain.Disclosure.PublicationDueRaised>();
        IncludeType<Supervision.Domain.Disclosure.PublicationOverdueRaised>();
    }

    public override InspectionCase? Evolve(InspectionCase? snapshot, Guid id, IEvent e) => CaseRules.Evolve(snapshot, e.Data);
}
