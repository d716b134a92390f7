using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed partial class ProgressReportScheduleProjection : SingleStreamProjection<ProgressReportSchedule, Guid>
{
    public ProgressReportScheduleProjection() => IncludeType<ProgressReportScheduleSet>();

    public override ProgressReportSchedule? Evolve(ProgressReportSchedule? snapshot, Guid id, IEvent e) => ProgressReportScheduleRules.Evolve(snapshot, e.Data);
}
