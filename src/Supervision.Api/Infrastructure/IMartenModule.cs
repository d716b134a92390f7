namespace Supervision.Api.Infrastructure;

/// <summary>
/// A capability's Marten registrations (projections, indexes). Every implementation in this assembly is applied at
/// start-up, so adding a slice never means editing the host wiring.
/// </summary>
public interface IMartenModule
{
    void Configure(StoreOptions options);

    internal static void ConfigureAll(StoreOptions options)
    {
        var modules = typeof(IMartenModule).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMartenModule).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var module in modules) ((IMartenModule)Activator.CreateInstance(module)!).Configure(options);
    }
}
