namespace Supervision.Api.Directories.Tags;

public static class TagQueries
{
    /// <summary>List the tags of the tag library (标签字库), filtered by scope or whether active, paged.</summary>
    [WolverineGet("/api/tags"), Tags("Tags")]
    public static async Task<PagedResult<TagDefinition>> List(IQuerySession session, TagScope? scope, bool? active, int? page, int? pageSize, CancellationToken ct)
    {
        var tags = session.Query<TagDefinition>().AsQueryable();
        // TagDefinition.AppliesTo, as SQL.
        if (scope is { } applies) tags = tags.Where(t => t.Scope == TagScope.Both || t.Scope == applies);
        if (active is { } isActive) tags = tags.Where(t => t.Active == isActive);
        return await Paging.PageAsync(tags, all => all.OrderBy(t => t.Code).ThenBy(t => t.Id), t => t, page, pageSize, session, ct);
    }

    /// <summary>Read one tag.</summary>
    [WolverineGet("/api/tags/{tagId}"), Tags("Tags")]
    public static TagDefinition Get([ReadAggregate("tagId")] TagDefinition tag) => tag;
}
