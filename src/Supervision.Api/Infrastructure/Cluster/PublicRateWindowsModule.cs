namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>The table of windows is part of the schema model, so a migration creates it and the drift test covers it.</summary>
public sealed class PublicRateWindowsModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = IMartenModule.AddTable(options, "public_rate_windows");
        table.AddColumn<string>("client").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("window_start").NotNull();
        table.AddColumn<int>("count").NotNull();
    }
}
