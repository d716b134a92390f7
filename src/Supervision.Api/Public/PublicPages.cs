using Microsoft.AspNetCore.RateLimiting;
using static Supervision.Api.Public.PublicLayout;

namespace Supervision.Api.Public;

/// <summary>
/// The public web pages (一公开): server-rendered HTML in Chinese over the same public read models as the public API, anonymous,
/// read-only and rate limited, in one layout (<see cref="PublicLayout"/>). Everything shown comes from frozen public copies; a result,
/// its plan, its task and its draw link to each other. Every text from data is HTML-encoded (<see cref="PublicLayout.E"/>).
/// </summary>
public static partial class PublicPages
{
    public const string RateLimitPolicy = "public";

    /// <summary>Results a search page shows at once: short enough to read on a phone, the rest a page link away.</summary>
    public const int SearchPageSize = 20;

    /// <summary>Plans the list of plans shows at once.</summary>
    public const int PlanPageSize = 30;

    private static readonly Crumb Home = new("首页", "/public");

    /// <summary>Verify any record in the browser: pasted, or given in the URL fragment (which is never sent to the server).</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/draws/verify"), Tags("Public")]
    public static IResult VerifyPage() => Render(new PublicPageFrame("验证抽取记录", SiteIssuer, [Home, new Crumb("验证抽取记录")], null), """
        <p class="lead">粘贴抽取记录（JSON）及公布的承诺值、记录哈希，在本浏览器内验证；记录不会发送到服务器。本页的验证需要启用 JavaScript，也可用 tools/verify_draw.py 离线验证。</p>
        <div class="search verify">
        <label for="commitment">承诺值<input id="commitment" size="70" autocomplete="off"></label>
        <label for="record-sha256">记录哈希<input id="record-sha256" size="70" autocomplete="off"></label>
        </div>
        <p><label for="record">抽取记录（JSON）</label><br><textarea id="record" rows="12"></textarea></p><p><button id="verify-pasted" type="button">验证</button></p>
        <p id="verdict" data-result="none" role="status"></p>
        <script src="/public/draw-verify.js"></script><script src="/public/draw-page.js"></script>
        """);

    /// <summary>The two scripts of the draw pages, served from the assembly (no build step, no CDN).</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/{script}.js"), Tags("Public")]
    public static IResult Script(string script) =>
        script is "draw-verify" or "draw-page" && typeof(PublicPages).Assembly.GetManifestResourceStream(script + ".js") is { } stream
            ? Results.Stream(stream, "text/javascript; charset=utf-8")
            : Results.NotFound();

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
