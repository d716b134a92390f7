using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

public sealed partial class DrawProjection : SingleStreamProjection<Draw, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public DrawProjection()
    {
        IncludeType<CasesOpened>();
        IncludeType<ContributionRevealed>();
        IncludeType<DrawActRecorded>();
        IncludeType<DrawCommitted>();
        IncludeType<DrawScheduled>();
        IncludeType<DrawVoided>();
        IncludeType<DrawVoidRequested>();
        IncludeType<InspectorRecused>();
        IncludeType<InspectorsAssigned>();
        IncludeType<RandomnessConfirmed>();
        IncludeType<RandomnessEntered>();
        IncludeType<RandomnessRecorded>();
        IncludeType<ReplacementDrawn>();
        IncludeType<TargetsDrawn>();
        IncludeType<TargetWithdrawnFromDraw>();
    }

    public override Draw? Evolve(Draw? snapshot, Guid id, IEvent e) => DrawRules.Evolve(snapshot, e.Data);
}

/// <summary>The frozen canonical files of a draw, written once at scheduling; their hashes are in the committed event.</summary>
/// <param name="TargetsApart">Set when the targets file is too large for the document: it is then in <see cref="DrawTargetsStore"/>,
/// and <c>Files.Targets</c> is empty. Absent (null) for every draw whose file is inside, which all draws before it were.</param>
public sealed record FrozenDrawFiles(Guid Id, DrawFiles Files, StoredTargets? TargetsApart = null);

/// <summary>/1 only (no longer written): the server secret of a draw, which sat here in plaintext.</summary>
public sealed record DrawSecret(Guid Id, string Secret);

/// <summary>/2: the department's contribution, sealed with <see cref="DrawSecrets"/> under a key that is not in the database.</summary>
public sealed record SealedContribution(Guid Id, string Sealed);

public sealed class DrawModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<DrawProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Draw>().Index(d => d.PlanId).Index(d => d.Year);
        options.Schema.For<FrozenDrawFiles>();
        options.Schema.For<DrawSecret>();
        options.Schema.For<SealedContribution>();
        // Targets files too large for a jsonb value (DrawTargetsStore), in chunks of whole lines.
        var chunks = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(options.DatabaseSchemaName, DrawTargetsStore.Table,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        chunks.AddColumn<Guid>("draw_id").AsPrimaryKey();
        chunks.AddColumn<int>("chunk").AsPrimaryKey();
        chunks.AddColumn("bytes", "bytea").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(chunks);
    }
}
