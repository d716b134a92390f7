using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed partial class ProgressReportFilingProjection : SingleStreamProjection<ProgressReportFiling, Guid>
{
    public ProgressReportFilingProjection()
    {
        IncludeType<ProgressReportFiled>();
        IncludeType<ProgressReportCorrected>();
        IncludeType<ProgressReportDueReminded>();
        IncludeType<ProgressReportFlaggedLate>();
    }

    public override ProgressReportFiling? Evolve(ProgressReportFiling? snapshot, Guid id, IEvent e) => ProgressReportRules.Evolve(snapshot, e.Data);
}
