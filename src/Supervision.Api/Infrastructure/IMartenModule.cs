namespace Supervision.Api.Infrastructure;

/// <summary>
/// A capability's Marten registrations (projections, indexes). Every implementation in this assembly is applied at
/// start-up, so adding a slice never means editing the host wiring.
/// </summary>
public interface IMartenModule
{
    void Configure(StoreOptions options);

    /// <summary>
    /// A table of our own (not a Marten document) in the store's schema, added to the schema model: a migration creates it and
    /// the drift test covers it. The caller adds the columns.
    /// </summary>
    public static Weasel.Postgresql.Tables.Table AddTable(StoreOptions options, string name)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(options.DatabaseSchemaName, name,
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        options.Storage.ExtendedSchemaObjects.Add(table);
        return table;
    }

    internal static void ConfigureAll(StoreOptions options)
    {
        var modules = typeof(IMartenModule).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMartenModule).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var module in modules) ((IMartenModule)Activator.CreateInstance(module)!).Configure(options);
    }
}
