using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

/// <summary>Inline snapshot of each loaded year: its arrangement in force and every earlier revision.</summary>
public sealed partial class CalendarYearProjection : SingleStreamProjection<CalendarYearState, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public CalendarYearProjection()
    {
        foreach (var type in CalendarRules.EventTypes) IncludeType(type);
    }

    public override CalendarYearState? Evolve(CalendarYearState? snapshot, Guid id, IEvent e) => CalendarRules.Evolve(snapshot, e.Data);
}
