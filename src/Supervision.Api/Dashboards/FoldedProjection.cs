namespace Supervision.Api.Dashboards;

/// <summary>
/// The inline projection of an aggregate that folds itself (<see cref="IFolded{TSelf}"/>): the stored document is folded by the
/// same pure evolve a command answers with, so what a command answered and what a later read shows never differ.
/// </summary>
public abstract class FoldedProjection<T> : SingleStreamProjection<T, Guid> where T : class, IFolded<T>
{
    protected FoldedProjection(params Type[] eventTypes)
    {
        foreach (var type in eventTypes) IncludeType(type);
    }

    public override T? Evolve(T? snapshot, Guid id, IEvent e) => T.StateAfter(snapshot, e.Data);
}
