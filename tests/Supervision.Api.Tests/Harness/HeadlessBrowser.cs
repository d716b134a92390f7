using System.Diagnostics;

namespace Supervision.Api.Tests.Harness;

/// <summary>Debian's Chromium, headless: loads a page as a person's browser would and returns the rendered DOM.</summary>
public static class HeadlessBrowser
{
    public static string? Executable => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <param name="virtualTimeMilliseconds">When set, the page's timers, fetches and promises run on virtual time up to this budget before the DOM is dumped (for pages that work after load).</param>
    public static async Task<string> RenderAsync(string url, int? virtualTimeMilliseconds = null)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-").FullName;
        var info = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed (ops/test.sh installs it as root)"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--dump-dom"];
        if (virtualTimeMilliseconds is { } budget) arguments.Add($"--virtual-time-budget={budget}");
        arguments.Add(url);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var dom = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        var text = await dom;
        return text.Length > 0 ? text : throw new InvalidOperationException("chromium rendered nothing: " + await errors);
    }
}
