using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

/// <summary>Marten registrations of the working-day calendar: one inline snapshot per loaded year.</summary>
public sealed class CalendarModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CalendarYearProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<CalendarYearLoaded>();
    }
}
