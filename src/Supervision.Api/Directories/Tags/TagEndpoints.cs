namespace Supervision.Api.Directories.Tags;

public sealed partial class TagProjection : SingleStreamProjection<TagDefinition, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public TagProjection()
    {
        IncludeType<TagDefined>();
        IncludeType<TagRetired>();
    }

    public override TagDefinition? Evolve(TagDefinition? snapshot, Guid id, IEvent e) => TagRules.Evolve(snapshot, e.Data);
}

public sealed class TagModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<TagProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<TagDefinition>().UniqueIndex(t => t.Code);
    }
}

public static class DefineTagEndpoint
{
    public static async Task<Decision> LoadAsync(DefineTag command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = TagRules.IsValidCode(command.Code) ? await session.LoadAsync<TagDefinition>(TagDefinition.IdFor(command.Code), ct) : null;
        var owner = command.OwnerDepartmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        var (keeper, _) = await Readers.LoadAsync(user, session, ct);
        return WriteAccess.Guard(TagRules.Decide(command, existing, owner is { Active: true }, user.As(Roles.DirectoryKeeper)),
            owner is null ? null : WriteAccess.KeeperMayOwnTag(keeper, owner.Id));   // an unknown owner is a 400 of the decision
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Define a classification tag (标签) for targets, inspectors or both, owned by the caller's department.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/tags"), Tags("Tags")]
    public static (CreationResponse<TagDefinition>, IStartStream) Post(DefineTag command, Decision decision)
    {
        var defined = (TagDefined)decision.Events[0];
        var view = TagRules.Evolve(null, defined)! with { Version = 1 };
        return (new CreationResponse<TagDefinition>($"/api/tags/{defined.TagId}", view),
            MartenOps.StartStream<TagDefinition>(defined.TagId, decision.Events.ToArray()));
    }
}

public static class RetireTagEndpoint
{
    public static async Task<Decision> LoadAsync(RetireTag command, TagDefinition tag, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        WriteAccess.Guard(TagRules.Decide(command, tag, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayOwnTag((await Readers.LoadAsync(user, session, ct)).Reader, tag.OwnerDepartmentId));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Retire a tag; it can no longer be given, and stays on what already carries it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/tags/{tagId}/retire"), Tags("Tags")]
    public static (TagDefinition, Events) Post(RetireTag command, [WriteAggregate("tagId")] TagDefinition tag, Decision decision) =>
        (decision.Events.Aggregate(tag, (s, e) => TagRules.Evolve(s, e)!) with { Version = tag.Version + decision.Events.Count },
            new Events(decision.Events));
}

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

/// <summary>Reads the tag definitions that tag codes name, keyed by upper-case code, for <see cref="TagRules.CheckTags"/>.</summary>
public static class TagLibrary
{
    public static async Task<IReadOnlyDictionary<string, TagDefinition>> LoadAsync(IQuerySession session, IEnumerable<string>? codes, CancellationToken ct)
    {
        var ids = IdsFor(codes);
        return ids.Length == 0 ? ByCode([]) : ByCode(await session.LoadManyAsync<TagDefinition>(ct, ids));
    }

    /// <summary>The ids of the definitions that the (valid) codes name.</summary>
    public static Guid[] IdsFor(IEnumerable<string>? codes) => TagRules.Normalize(codes).Where(TagRules.IsValidCode).Select(TagDefinition.IdFor).ToArray();

    public static IReadOnlyDictionary<string, TagDefinition> ByCode(IEnumerable<TagDefinition> tags) =>
        tags.ToDictionary(t => t.Code.ToUpperInvariant(), StringComparer.Ordinal);
}
