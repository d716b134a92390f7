namespace Supervision.Domain.Tests.Standing;

/// <summary>The repository's own files, for the standing checks that read the source (found from the test's output folder upwards).</summary>
public static class RepositoryFiles
{
    public static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Supervision.EventSourced.sln"))) return dir.FullName;
        throw new InvalidOperationException("Supervision.EventSourced.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Hand-written files under <paramref name="folder"/> (build output and generated code left out), as paths relative to the root with '/'.</summary>
    public static IEnumerable<string> Under(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("/Internal/Generated/") && !f.Contains("/node_modules/"))
            .Order(StringComparer.Ordinal);

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
