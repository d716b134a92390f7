namespace Supervision.Api.Dashboards;

/// <summary>
/// How a command answers when its stream may not exist yet (a year's goals or due dates, a report's filing) and so is loaded in
/// <c>LoadAsync</c> rather than by <c>[WriteAggregate]</c>: the accepted events appended at the version read, and the state after
/// them folded by the aggregate's own evolve (<see cref="IFolded{TSelf}"/>), as <see cref="CommandAnswers.StateAfter{T}"/> does
/// for an existing stream.
/// </summary>
public static class VersionedAppends
{
    /// <summary>
    /// Appended at the version read: two writers of one stream at once (two administrators, two filings of one report) get a 409,
    /// not a lost update or two first revisions. A decision without events (the same content again) appends nothing.
    /// </summary>
    public static T AppendAtVersionRead<T>(this IDocumentSession session, Guid streamId, T? state, Decision decision) where T : class, IFolded<T>
    {
        var version = (state?.Version ?? 0) + decision.Events.Count;
        if (decision.Events.Count > 0) session.Events.Append(streamId, version, decision.Events.ToArray());
        return decision.Events.Aggregate(state, (folded, e) => T.StateAfter(folded, e))!.WithVersion(version);
    }
}
