using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Supervision.Api.Tests.Harness;

/// <summary>What one rendering of a page at one width gave: the screenshot, the layout widths and the fonts that drew the title.</summary>
/// <param name="ScrollWidth">The document's full width: more than <paramref name="ViewportWidth"/> means the page scrolls sideways.</param>
/// <param name="TitleFonts">Each font that drew glyphs of the <c>h1</c>, with how many (Chromium's own account, <c>CSS.getPlatformFontsForNode</c>).</param>
/// <param name="Squeezed">Visible texts of more than three characters laid out more than three times as tall as wide: a caption or cell
/// squeezed into a column a character or two wide, which no reader can read.</param>
/// <param name="LowContrast">Visible texts whose colour against the background behind them is below 4.5:1 (WCAG 2.2, 1.4.3), with the ratio.</param>
public sealed record PageRendering(byte[] Png, int ViewportWidth, int ScrollWidth, int Height, string Title, IReadOnlyList<(string Family, int Glyphs)> TitleFonts,
    IReadOnlyList<string> Squeezed, IReadOnlyList<string> LowContrast);

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket, no extra package): loads a page at a given width
/// as a phone or a desktop would (device metrics, not a resized window), waits for its load and its fonts, and reports the
/// screenshot, whether it scrolls sideways, and which fonts drew its title, so a test can tell real CJK glyphs from tofu boxes.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly Process process;
    private readonly ClientWebSocket socket = new();
    private readonly string profile;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> awaitedEvents = new();
    private readonly CancellationTokenSource stop = new();
    private string? sessionId;
    private int nextId;

    private BrowserPage(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    /// <param name="fontConfigFile">A fontconfig file for this browser alone (e.g. one that withholds the CJK fonts, to see what tofu looks like).</param>
    public static async Task<BrowserPage> StartAsync(string? fontConfigFile = null)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-cdp-").FullName;
        var info = new ProcessStartInfo(HeadlessBrowser.Executable ?? throw new InvalidOperationException("chromium is not installed (ops/test.sh installs it as root)"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--font-render-hinting=none", $"--user-data-dir={profile}",
                     "--remote-debugging-port=0", "about:blank" })
            info.ArgumentList.Add(argument);
        if (fontConfigFile is not null) info.Environment["FONTCONFIG_FILE"] = fontConfigFile;
        var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var page = new BrowserPage(process, profile);
        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr once it is ready.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? endpoint = null;
        while (endpoint is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            if (line.IndexOf("ws://", StringComparison.Ordinal) is var at and >= 0) endpoint = line[at..].Trim();
        if (endpoint is null) throw new InvalidOperationException("chromium did not open its DevTools endpoint");
        _ = process.StandardError.ReadToEndAsync();
        await page.socket.ConnectAsync(new Uri(endpoint), timeout.Token);
        _ = page.ReceiveLoopAsync();
        var target = await page.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
        var attached = await page.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, browserLevel: true);
        page.sessionId = attached["sessionId"]!.GetValue<string>();
        await page.SendAsync("Page.enable");
        await page.SendAsync("DOM.enable");
        await page.SendAsync("CSS.enable");
        return page;
    }

    /// <summary>Loads <paramref name="url"/> at <paramref name="width"/> CSS pixels (a phone below 600: mobile viewport, touch) and measures it.</summary>
    public async Task<PageRendering> RenderAsync(string url, int width)
    {
        var mobile = width < 600;
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = mobile ? 844 : 900, ["deviceScaleFactor"] = 1, ["mobile"] = mobile });
        var loaded = AwaitEvent("Page.loadEventFired");
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await loaded.WaitAsync(TimeSpan.FromSeconds(60));
        // Web fonts are none here, but system fallback fonts load lazily too: wait until the document says its fonts are ready.
        await EvaluateAsync("document.fonts.ready.then(() => document.fonts.status)");
        var metrics = JsonNode.Parse((await EvaluateAsync(
            "JSON.stringify({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, height: document.documentElement.scrollHeight, title: document.querySelector('h1')?.textContent ?? '' })"))!)!;
        var squeezed = JsonNode.Parse((await EvaluateAsync("""
            JSON.stringify([...document.querySelectorAll('caption, h1, h2, h3, p, li, td, th, label, dd')]
              .filter(e => { const r = e.getBoundingClientRect(); return e.textContent.trim().length > 3 && r.width > 2 && r.height > 3 * r.width; })
              .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 20)))
            """))!)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var lowContrast = JsonNode.Parse((await EvaluateAsync(ContrastScript))!)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var height = Math.Min(metrics["height"]!.GetValue<int>(), 8000);
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        });
        var document = await SendAsync("DOM.getDocument", new JsonObject { ["depth"] = 0 });
        var h1 = await SendAsync("DOM.querySelector", new JsonObject { ["nodeId"] = document["root"]!["nodeId"]!.GetValue<int>(), ["selector"] = "h1" });
        var fonts = new List<(string, int)>();
        if (h1["nodeId"]!.GetValue<int>() is var node and > 0)
            foreach (var font in (await SendAsync("CSS.getPlatformFontsForNode", new JsonObject { ["nodeId"] = node }))["fonts"]!.AsArray())
                fonts.Add((font!["familyName"]!.GetValue<string>(), font["glyphCount"]!.GetValue<int>()));
        return new PageRendering(Convert.FromBase64String(shot["data"]!.GetValue<string>()), metrics["client"]!.GetValue<int>(), metrics["scroll"]!.GetValue<int>(),
            height, metrics["title"]!.GetValue<string>(), fonts, squeezed, lowContrast);
    }

    /// <summary>
    /// Every element that directly holds visible text: its computed colour against the first opaque background behind it, by WCAG's
    /// relative luminance. (Text over images has none here; semi-transparent colours are not blended: the stylesheet uses none.)
    /// </summary>
    private const string ContrastScript = """
        (() => {
          const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c; } return [255, 255, 255]; };
          const failures = [];
          for (const e of document.querySelectorAll('body *')) {
            if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0)) continue;
            const r = e.getBoundingClientRect(), style = getComputedStyle(e);
            if (r.width <= 2 || r.height <= 2 || style.visibility === 'hidden' || style.display === 'none') continue;
            const a = lum(rgb(style.color)), b = lum(background(e));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) failures.push(e.tagName + '.' + e.className + ' ' + ratio.toFixed(2) + ': ' + e.textContent.trim().slice(0, 20));
          }
          return JSON.stringify(failures);
        })()
        """;

    /// <summary>With the print media emulated: which of <paramref name="selectors"/> are still displayed on paper.</summary>
    public async Task<IReadOnlyList<string>> PrintedAsync(string url, params string[] selectors)
    {
        await SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "print" });
        try
        {
            var loaded = AwaitEvent("Page.loadEventFired");
            await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
            await loaded.WaitAsync(TimeSpan.FromSeconds(60));
            var shown = await EvaluateAsync($"JSON.stringify({JsonSerializer.Serialize(selectors)}.filter(s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none')))");
            return JsonNode.Parse(shown!)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        }
        finally
        {
            await SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "" });
        }
    }

    private async Task<string?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException("page script failed: " + error.ToJsonString());
        return result["result"]?["value"]?.ToString();
    }

    private Task<JsonObject> AwaitEvent(string method)
    {
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        awaitedEvents[method] = waiter;
        return waiter.Task;
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, bool browserLevel = false)
    {
        var id = Interlocked.Increment(ref nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browserLevel && sessionId is not null) message["sessionId"] = sessionId;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, stop.Token);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (answer["error"] is { } failure) throw new InvalidOperationException($"{method} failed: {failure.ToJsonString()}");
        return answer["result"]?.AsObject() ?? new JsonObject();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !stop.IsCancellationRequested)
            {
                var part = await socket.ReceiveAsync(buffer, stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && pending.TryRemove(id.GetValue<int>(), out var reply)) reply.TrySetResult(json);
                else if (json["method"]?.GetValue<string>() is { } method && awaitedEvents.TryRemove(method, out var waiter)) waiter.TrySetResult(json);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var reply in pending.Values) reply.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await process.WaitForExitAsync();
        socket.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
