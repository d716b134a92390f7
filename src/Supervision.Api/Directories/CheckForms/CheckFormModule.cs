namespace Supervision.Api.Directories.CheckForms;

/// <summary>Inline snapshot of each check form template, with every published version.</summary>
public sealed partial class CheckFormProjection : SingleStreamProjection<CheckFormTemplate, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public CheckFormProjection()
    {
        IncludeType<CheckFormDefined>();
        IncludeType<CheckFormRetired>();
        IncludeType<CheckFormVersionPublished>();
    }

    public override CheckFormTemplate? Evolve(CheckFormTemplate? snapshot, Guid id, IEvent e) => CheckFormRules.Evolve(snapshot, e.Data);
}

/// <summary>Marten registrations of the check form templates (检查表单).</summary>
public sealed class CheckFormModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CheckFormProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<CheckFormTemplate>().UniqueIndex(f => f.Code).Index(f => f.MatterId);
    }
}
