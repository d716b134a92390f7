using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>The verdict of one verifier process.</summary>
public sealed record Verdict(string Verifier, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"{Verifier} exited {ExitCode}: {Stdout.Trim()} {Stderr.Trim()}".Trim();
}

/// <summary>Runs both verifiers as processes: tools/verify_draw.py (independent, from the spec) and Supervision.DrawVerifier.dll (reference).</summary>
public static class Verifiers
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly Lazy<string?> Python = new(FindPython);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PythonScript => Path.Combine(RepoRoot, "tools", "verify_draw.py");

    public static string DotnetVerifier => Path.Combine(AppContext.BaseDirectory, "Supervision.DrawVerifier.dll");

    /// <summary>The reason python3 tests cannot run, or null when python3 is on PATH.</summary>
    public static string? PythonMissing => Python.Value is null ? "python3 is not on PATH: the independent verifier tools/verify_draw.py cannot run" : null;

    public static string Write(DrawRecord record, string directory, string name)
    {
        var path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(record, Json), new UTF8Encoding(false));
        return path;
    }

    public static async Task<(Verdict Python, Verdict Dotnet)> RunBoth(string recordPath, params string[] options)
    {
        var python = Run("python", Python.Value ?? "python3", [PythonScript, recordPath, .. options]);
        var dotnet = Run("dotnet", "dotnet", [DotnetVerifier, recordPath, .. options]);
        await Task.WhenAll(python, dotnet);
        return (await python, await dotnet);
    }

    public static async Task<Verdict> Run(string name, string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} verifier did not finish within {Timeout.TotalSeconds} s");
        }
        return new Verdict(name, process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tools", "verify_draw.py")) && File.Exists(Path.Combine(dir.FullName, "docs", "draw-algorithm.md")))
                return dir.FullName;
        throw new DirectoryNotFoundException("no ancestor of the test directory holds tools/verify_draw.py and docs/draw-algorithm.md");
    }

    private static string? FindPython()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "python3.exe" : "python3");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A temporary directory removed when the test class is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("draw-verifier-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
