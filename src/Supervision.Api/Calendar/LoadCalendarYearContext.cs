using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

/// <summary>The decision to load a year, with the year's stream it appends to (null when the year is out of range).</summary>
public sealed record LoadCalendarYearContext(Decision Decision, IEventStream<CalendarYearState>? Stream);
