namespace Supervision.Api.Directories.CheckForms;

/// <summary>Marten registrations of the check form templates (检查表单).</summary>
public sealed class CheckFormModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CheckFormProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<CheckFormTemplate>().UniqueIndex(f => f.Code).Index(f => f.MatterId);
    }
}
