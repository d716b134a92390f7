using System.Text;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;
using Wolverine.Http;
using Supervision.Api.Infrastructure.ReadReplica;

namespace Supervision.Api.Public;

/// <summary>
/// The public web pages (一公开): plain server-rendered HTML in Chinese over the same public read models as the public API,
/// anonymous, read-only and rate limited. Everything shown comes from frozen public copies.
/// </summary>
public static class PublicPages
{
    public const string RateLimitPolicy = "public";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static IResult Page(string title, string body) => Results.Content($$"""
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html.Encode(title)}}</title>
        <style>body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}table{border-collapse:collapse;width:100%}
        td,th{border:1px solid #999;padding:.3rem;text-align:left}.history{color:#555;font-size:.9em}label{margin-right:1rem}</style></head>
        <body><header><a href="/public">双随机、一公开 · 抽查结果公示</a></header><main><h1>{{Html.Encode(title)}}</h1>{{body}}</main></body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8);

    /// <summary>Search published results by credit code, entity name or plan number, with every correction shown.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public"), Tags("Public")]
    public static async Task<IResult> ResultsPage([ReadReplica] Npgsql.NpgsqlConnection connection, PublicResultSearch.Storage storage, string? creditCode, string? name, string? planNumber, int? page, CancellationToken ct)
    {
        var body = new StringBuilder();
        body.Append($$"""
            <form method="get" action="/public" role="search" aria-label="检索抽查结果">
            <label>统一社会信用代码 <input name="creditCode" value="{{Html.Encode(creditCode ?? "")}}"></label>
            <label>主体名称 <input name="name" value="{{Html.Encode(name ?? "")}}"></label>
            <label>计划编号 <input name="planNumber" value="{{Html.Encode(planNumber ?? "")}}"></label>
            <button type="submit">检索</button></form>
            """);
        if (creditCode is { Length: > 0 } || name is { Length: > 0 } || planNumber is { Length: > 0 })
        {
            var (number, size) = Infrastructure.Paging.Normalize(page, null);
            var (entries, total) = await PublicResultSearch.SearchAsync(connection, storage,
                new PublicResultFilter(NullIfEmpty(creditCode), NullIfEmpty(name), NullIfEmpty(planNumber), null, null, null), number, size, ct);
            body.Append($"<p id=\"count\">共 {total} 条</p>");
            if ((long)number * size < total)
                body.Append($"<p><a id=\"next\" href=\"/public?creditCode={Uri.EscapeDataString(creditCode ?? "")}&amp;name={Uri.EscapeDataString(name ?? "")}&amp;planNumber={Uri.EscapeDataString(planNumber ?? "")}&amp;page={number + 1}\">下一页</a></p>");
            foreach (var entry in entries)
            {
                var c = entry.Current;
                body.Append($"""
                    <section class="result" data-publication="{entry.PublicationId}"><h2>{Html.Encode(c.EntityName)}</h2>
                    <table><tr><th>统一社会信用代码</th><td class="credit-code">{Html.Encode(c.CreditCode ?? "")}</td></tr>
                    <tr><th>抽查计划 / 任务</th><td>{Html.Encode(c.PlanNumber)} / {Html.Encode(c.TaskNumber)} {Html.Encode(c.TaskName)}（{(c.TaskType == TaskType.Directed ? "定向" : "不定向")}）</td></tr>
                    <tr><th>抽查机关</th><td>{Html.Encode(c.Authority)}</td></tr><tr><th>检查日期</th><td>{c.InspectedOn:yyyy-MM-dd}</td></tr>
                    <tr><th>抽查事项及结果</th><td>{string.Join("<br>", c.Matters.Select(m => Html.Encode($"{m.MatterName}：{m.Result}{(m.SubKind is null ? "" : "（" + m.SubKind + "）")}")))}</td></tr>
                    <tr><th>处置情况</th><td>{Html.Encode(c.Handling ?? "")}</td></tr>
                    <tr><th>后续处理结果</th><td class="follow-up-outcomes">{string.Join("<br>", c.FollowUpOutcomes.Select(o => Html.Encode($"{o.DecidingBody}：{o.Outcome}（{o.CompletedOn:yyyy-MM-dd}，{o.Kind}）")))}</td></tr><tr><th>公示日期</th><td>{c.PublishedOn:yyyy-MM-dd}（第 {c.Revision} 版）</td></tr></table>
                    """);
                if (entry.History.Count > 1)
                {
                    body.Append("<div class=\"history\"><h3>更正记录</h3><ol>");
                    foreach (var h in entry.History)
                        body.Append($"<li class=\"revision\">第 {h.Revision} 版，{h.PublishedOn:yyyy-MM-dd}公示{(h.CorrectionReason is null ? "" : "，更正原因：" + Html.Encode(h.CorrectionReason))}</li>");
                    body.Append("</ol></div>");
                }
                body.Append("</section>");
            }
        }
        return Page("抽查结果公示", body.ToString());
    }

    /// <summary>A published plan with its tasks and every adjustment.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/plans/{planId}"), Tags("Public")]
    public static async Task<IResult> Plan(Guid planId, [ReadReplica] IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<AnnualPlan>(planId, ct) is not { Publications.Count: > 0 } plan) return Results.NotFound();
        var body = new StringBuilder();
        foreach (var p in plan.Publications.Reverse())
        {
            body.Append($"<section class=\"publication\"><h2>第 {p.Revision} 版（{p.PublishedOn:yyyy-MM-dd}公示）{(p.AdjustmentReason is null ? "" : "调整原因：" + Html.Encode(p.AdjustmentReason))}</h2><table>");
            body.Append("<tr><th>任务编号</th><th>任务名称</th><th>类型</th><th>范围</th><th>比例</th><th>时间</th></tr>");
            foreach (var t in p.Tasks)
                body.Append($"<tr><td>{Html.Encode(t.Number)}</td><td>{Html.Encode(t.Name)}</td><td>{(t.Type == TaskType.Directed ? "定向" : "不定向")}</td><td>{Html.Encode(t.ScopeDescription)}</td><td>{t.Sampling.RatioPercent?.ToString() ?? ""}%</td><td>{t.WindowFrom:yyyy-MM-dd} 至 {t.WindowTo:yyyy-MM-dd}</td></tr>");
            body.Append("</table></section>");
        }
        return Page($"{plan.Publications[^1].Department} {plan.Number} {plan.Publications[^1].Name}", body.ToString());
    }

    /// <summary>
    /// A draw's commitment, randomness plan and record hash chain, all public at once; the browser itself verifies the public record
    /// against them (draw-verify.js, WebCrypto: a third implementation, independent of the server's).
    /// </summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/draws/{drawId}"), Tags("Public")]
    public static async Task<IResult> Draw(Guid drawId, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { } draw || draw.Status == DrawStatus.Proposed) return Results.NotFound();
        var summary = Draws.PublicDrawSummary.From(draw, Directories.Inspectors.InspectorAccess.Today(clock));
        var body = new StringBuilder();
        var redo = draw.ReplacesDrawId is Guid replaced ? $"，重抽（替代已作废的 <a href=\"/public/draws/{replaced}\">{replaced}</a>）" : "";
        body.Append($"""
            <p>计划 {Html.Encode(draw.PlanNumber)}，任务 {Html.Encode(draw.TaskNumber)}，状态：{draw.Status}，算法 {Html.Encode(draw.Algorithm)}{redo}</p>
            <p>承诺值（SHA-256）：<code id="commitment">{draw.CommitmentSha256}</code></p>
            <p>记录哈希（SHA-256，每一步后公布）：<code id="record-sha256">{Html.Encode(summary.RecordSha256)}</code></p>
            <pre>{Html.Encode(draw.Commitment)}</pre>
            """);
        if (draw.IsV2)
        {
            body.Append("<h2>随机数来源（承诺时已声明）</h2><table><tr><th>名称</th><th>类型</th><th>不早于（UTC）</th><th>说明</th><th>记录值</th></tr>");
            foreach (var s in draw.Sources)
                body.Append($"<tr><td>{Html.Encode(s.Name)}</td><td>{(s.Kind == DrawV2.Ceremony ? "现场见证" : "公开未来值")}</td><td>{DrawV2.Instant(s.NotBefore)}</td><td>{Html.Encode(s.Description)}</td><td>{Html.Encode(draw.Randomness.FirstOrDefault(v => v.Source == s.Name)?.Canonical ?? "（尚未记录）")}</td></tr>");
            body.Append("</table><h2>记录哈希链</h2><table><tr><th>步骤</th><th>类型</th><th>时间（UTC）</th><th>该步后的记录哈希</th></tr>");
            foreach (var link in summary.Chain)
                body.Append($"<tr class='act'><td>{link.Number}</td><td>{Html.Encode(link.Kind)}</td><td>{Html.Encode(link.At)}</td><td><code>{link.RecordSha256}</code></td></tr>");
            body.Append($"""
                </table><h2>在浏览器中验证</h2>
                <p id="verdict" data-result="pending" data-record-url="/api/public/draws/{draw.Id}/record" data-commitment="{draw.CommitmentSha256}" data-record-sha256="{summary.RecordSha256}">正在验证…（需要启用 JavaScript）</p>
                <p>也可下载 <a href="/api/public/draws/{draw.Id}/record">公开记录</a>，离线运行 <code>python3 tools/verify_draw.py record.json --expect-commitment {draw.CommitmentSha256} --expect-record {summary.RecordSha256}</code>
                （或 <code>dotnet run --project src/Supervision.DrawVerifier -- …</code>、<code>node tools/verify_draw.mjs …</code>）；算法说明见 docs/draw-algorithm.md。</p>
                <script src="/public/draw-verify.js"></script><script src="/public/draw-page.js"></script>
                """);
        }
        return Page("抽取承诺与验证", body.ToString());
    }

    /// <summary>Verify any record in the browser: pasted, or given in the URL fragment (which is never sent to the server).</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/draws/verify"), Tags("Public")]
    public static IResult VerifyPage() => Page("验证抽取记录", """
        <p>粘贴抽取记录（JSON）及公布的承诺值、记录哈希，在本浏览器内验证；记录不会发送到服务器。</p>
        <p><label>承诺值 <input id="commitment" size="70"></label></p><p><label>记录哈希 <input id="record-sha256" size="70"></label></p>
        <p><textarea id="record" rows="12" cols="100" aria-label="抽取记录"></textarea></p><p><button id="verify-pasted" type="button">验证</button></p>
        <p id="verdict" data-result="none"></p>
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
