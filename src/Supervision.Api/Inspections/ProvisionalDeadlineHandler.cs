using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>A year's calendar was loaded or revised.</summary>
public sealed record CalendarYearChanged(int Year);

/// <summary>
/// A calendar change sends one <see cref="RecountProvisionalDeadlines"/> per case that holds a provisional deadline (result entry or
/// publication), durably, in the transaction that found them; each case is then counted again by an aggregate handler of its own
/// (<see cref="RecountProvisionalDeadlinesHandler"/>), so a province's cases are not one transaction.
/// </summary>
public static class ProvisionalDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(CalendarYearChanged message, IQuerySession session, CancellationToken ct)
    {
        var provisional = await session.Query<InspectionCase>().Where(c => c.Deadline != null && c.Deadline.Provisional).Select(c => c.Id).ToListAsync(ct);
        var publicationProvisional = await session.Query<InspectionCase>().Where(c => c.PublicationDeadline != null && c.PublicationDeadline.Provisional)
            .Select(c => c.Id).ToListAsync(ct);
        return [.. provisional.Union(publicationProvisional).Select(id => new RecountProvisionalDeadlines(id))];
    }
}
