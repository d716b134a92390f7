namespace Supervision.Api.Tests.Harness;

public static class RepositoryPaths
{
    /// <summary>The clone the tests run from, found by walking up to the solution file.</summary>
    public static string Root { get; } = FindRoot();

    public static string Migrations => Path.Combine(Root, "eventstore-migrations");
    public static string GeneratedCode => Path.Combine(Root, "src", "Supervision.Api", "Internal", "Generated");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Supervision.EventSourced.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Supervision.EventSourced.sln not found above " + AppContext.BaseDirectory);
    }
}
