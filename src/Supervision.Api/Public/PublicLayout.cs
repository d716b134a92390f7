using System.Text.Encodings.Web;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Plans;

namespace Supervision.Api.Public;

/// <summary>A link in the trail from the site's home to the page (the last one is the page itself and has no link).</summary>
public sealed record Crumb(string Label, string? Href = null);

/// <summary>
/// What every public page states above its content, as an official 公示 page does: who issues it (发布机关), its title, and the moment
/// its data is as of (数据截至), which is the read's own moment (the replica's replay point, or the primary's now).
/// </summary>
public sealed record PublicPageFrame(string Title, string Issuer, IReadOnlyList<Crumb> Crumbs, DateTimeOffset? DataAsOf);

/// <summary>
/// The one layout of the public pages: a header band with the site and the issuing department, a breadcrumb trail, the title and
/// data-as-of, the content, a footer; the stylesheet (public.css) inlined, so a page is one self-contained response that needs no
/// script, font or file from anywhere else to be read or printed. Every text from data is HTML-encoded by the callers with <see cref="E"/>.
/// </summary>
public static class PublicLayout
{
    public const string SiteName = "双随机、一公开信息公示";
    /// <summary>The issuer of the pages that span every department (the search, the list of plans).</summary>
    public const string SiteIssuer = "市场监管领域部门联合双随机、一公开监管平台";

    // Every Unicode range allowed through as itself (the pages are Chinese), while the characters that mean something in HTML
    // (<, >, &, quotes) are still encoded everywhere.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The stylesheet, read once from the assembly.</summary>
    public static readonly string Stylesheet = ReadStylesheet();

    private static string ReadStylesheet()
    {
        using var stream = typeof(PublicLayout).Assembly.GetManifestResourceStream("public.css")
                           ?? throw new InvalidOperationException("public.css is not embedded in the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>HTML-encodes any text shown on a page (element content and attribute values alike).</summary>
    public static string E(string? text) => Html.Encode(text ?? "");

    /// <summary>A query-string value, URL-escaped and then HTML-encoded for an <c>href</c>.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    public static IResult Render(PublicPageFrame frame, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(Document(frame, body), "text/html; charset=utf-8", Encoding.UTF8, statusCode);

    public static string Document(PublicPageFrame frame, string body)
    {
        var crumbs = new StringBuilder();
        foreach (var (crumb, i) in frame.Crumbs.Select((c, i) => (c, i)))
            crumbs.Append(crumb.Href is { } href && i < frame.Crumbs.Count - 1
                ? $"<li><a href=\"{E(href)}\">{E(crumb.Label)}</a></li>"
                : $"<li aria-current=\"page\">{E(crumb.Label)}</li>");
        var asOf = frame.DataAsOf is { } moment
            ? $"<div><dt>数据截至</dt><dd><time id=\"data-as-of\" datetime=\"{moment.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{ChinaTime(moment)}</time></dd></div>"
            : "";
        return $$"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(frame.Title)}} - {{SiteName}}</title>
            <style>{{Stylesheet}}</style></head>
            <body><a class="skip" href="#main">跳到正文</a>
            <header class="site-header" role="banner"><div class="inner">
            <a class="site-name" href="/public">{{SiteName}}</a>
            <span class="issuer">发布机关：<span id="issuer">{{E(frame.Issuer)}}</span></span>
            <nav class="site-nav" aria-label="栏目"><a href="/public">抽查结果</a><a href="/public/plans">抽查计划</a><a href="/public/draws/verify">验证抽取</a></nav>
            </div></header>
            <nav class="crumbs" aria-label="当前位置"><ol>{{crumbs}}</ol></nav>
            <main id="main" tabindex="-1">
            <div class="page-head"><h1>{{E(frame.Title)}}</h1>
            <dl class="meta"><div><dt>发布机关</dt><dd>{{E(frame.Issuer)}}</dd></div>{{asOf}}</dl></div>
            {{body}}
            </main>
            <footer class="site-footer" role="contentinfo"><div class="inner">
            <p>依据《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）公示抽查计划、抽取过程和抽查结果。</p>
            <p>依法依规不适合公开的信息不予公示；公示内容如有更正，保留历次更正记录。本页无需脚本即可阅读和打印。</p>
            </div></footer>
            </body></html>
            """;
    }

    /// <summary>The moment the data of this response is as of, as <see cref="ReplicaReads"/> set it on the response (null if no read was made).</summary>
    public static DateTimeOffset? DataAsOf(HttpResponse response) =>
        DateTimeOffset.TryParse(response.Headers[ReplicaReads.DataAsOfHeader].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? moment : null;

    /// <summary>China Standard Time (UTC+8, no daylight saving), as the public reads the clock.</summary>
    public static string ChinaTime(DateTimeOffset moment) => moment.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "（北京时间）";

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The page links of a paged list: previous, numbered pages around the current one, next; the link text is the page number.</summary>
    /// <param name="href">The list's URL for a page number.</param>
    public static string Pager(PublicPager.Window window, Func<int, string> href, string label)
    {
        if (window.PageCount <= 1) return "";
        var html = new StringBuilder($"<nav class=\"pager\" aria-label=\"{E(label)}\"><ul>");
        if (window.Page > 1) html.Append($"<li><a id=\"previous\" rel=\"prev\" href=\"{E(href(window.Page - 1))}\">上一页</a></li>");
        foreach (var item in window.Items)
            html.Append(item switch
            {
                null => "<li><span class=\"gap\" aria-hidden=\"true\">…</span></li>",
                var n when n == window.Page => $"<li><span aria-current=\"page\">{n}</span></li>",
                var n => $"<li><a href=\"{E(href(n.Value))}\" aria-label=\"第 {n} 页\">{n}</a></li>",
            });
        if (window.Page < window.PageCount) html.Append($"<li><a id=\"next\" rel=\"next\" href=\"{E(href(window.Page + 1))}\">下一页</a></li>");
        return html.Append("</ul></nav>").ToString();
    }

    /// <summary>A page that is not there, in the same layout (404): a wrong link from elsewhere reads as one, not as an error.</summary>
    public static IResult NotFound(string what, DateTimeOffset? dataAsOf) => Render(new PublicPageFrame("未找到" + what, SiteIssuer,
        [new Crumb("首页", "/public"), new Crumb("未找到")], dataAsOf),
        $"<p class=\"lead\">没有找到该{E(what)}：可能尚未公示、已依法不予公开，或链接有误。</p><p><a href=\"/public\">返回抽查结果检索</a></p>",
        StatusCodes.Status404NotFound);

    public static string TaskTypeName(TaskType type) => type == TaskType.Directed ? "定向" : "不定向";

    public static string MethodName(InspectionMethod method) => method switch
    {
        InspectionMethod.OnSite => "实地核查",
        InspectionMethod.Documentary => "书面检查",
        InspectionMethod.OnlineMonitoring => "网络监测",
        InspectionMethod.Commissioned => "委托专业机构检查",
        InspectionMethod.TestingInspection => "检验检测",
        InspectionMethod.AdoptOtherConclusions => "采信其他部门检查结论",
        _ => method.ToString(),
    };

    public static string MeasureName(MeasureKind kind) => kind switch
    {
        MeasureKind.RectificationOrder => "责令改正",
        MeasureKind.HandOver => "转办移送",
        MeasureKind.FileCase => "立案查处",
        MeasureKind.JudicialTransfer => "移送司法机关",
        MeasureKind.AbnormalOperationList => "列入经营异常名录",
        MeasureKind.CreditPunishment => "信用惩戒",
        MeasureKind.CopyTo => "抄告",
        _ => kind.ToString(),
    };

    public static string DrawStatusName(DrawStatus status) => status switch
    {
        DrawStatus.Proposed => "已提出",
        DrawStatus.Scheduled => "已承诺，待抽取",
        DrawStatus.Drawn => "已抽取",
        DrawStatus.Voided => "已作废",
        _ => status.ToString(),
    };

    /// <summary>The sampling rule in words: a ratio, a fixed count, or ratios per credit risk class (企业信用风险分级分类).</summary>
    public static string SamplingText(SamplingRule sampling)
    {
        var parts = new List<string>();
        if (sampling.RatioPercent is { } ratio) parts.Add($"{ratio.ToString("0.##", CultureInfo.InvariantCulture)}%");
        if (sampling.FixedCount is { } count) parts.Add($"{count} 户");
        if (sampling.ClassRatios is { Count: > 0 } classes)
            parts.Add("按信用风险分类：" + string.Join("，", classes.Select(c => $"{c.CreditClass} 类 {c.RatioPercent.ToString("0.##", CultureInfo.InvariantCulture)}%")));
        return parts.Count == 0 ? "—" : string.Join("；", parts);
    }
}

/// <summary>Which page links a paged list shows: pure, so the numbering at the edges is tested without a page.</summary>
public static class PublicPager
{
    /// <param name="Items">Page numbers to link, in order; <c>null</c> marks a gap (…).</param>
    public sealed record Window(int Page, int PageCount, int Total, int FirstItem, int LastItem, IReadOnlyList<int?> Items);

    /// <summary>The first and last page always, and two either side of the current one; a gap where pages are skipped.</summary>
    public static Window For(int page, int pageSize, int total)
    {
        var count = total <= 0 ? 0 : (int)((total + (long)pageSize - 1) / pageSize);
        var items = new List<int?>();
        for (var n = 1; n <= count; n++)
        {
            if (n == 1 || n == count || Math.Abs(n - page) <= 2) items.Add(n);
            else if (items.Count > 0 && items[^1] is not null) items.Add(null);
        }
        var first = total == 0 ? 0 : (int)Math.Min((long)(page - 1) * pageSize + 1, total + 1L);
        var last = (int)Math.Min((long)page * pageSize, total);
        return new Window(page, count, total, first, last, items);
    }
}
