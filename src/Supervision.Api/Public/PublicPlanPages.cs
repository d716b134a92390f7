using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;
using static Supervision.Api.Public.PublicLayout;

namespace Supervision.Api.Public;

// The published plans and the records of their draws, with the page that verifies a draw record in the browser.
public static partial class PublicPages
{
    /// <summary>Every published plan, newest year first, paged.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/plans"), Tags("Public")]
    public static async Task<IResult> Plans([ReadReplica] IQuerySession session, HttpResponse response, int? year, int? page, CancellationToken ct)
    {
        var number = Math.Max(1, page ?? 1);
        var query = session.Query<AnnualPlan>().Where(p => p.Publications.Any());
        if (year is { } y) query = query.Where(p => p.Year == y);
        var ordered = query.OrderByDescending(p => p.Year).ThenBy(p => p.Number).ThenBy(p => p.Id);
        var skip = (int)Math.Min((long)(number - 1) * PlanPageSize, int.MaxValue);
        var plans = await Marten.QueryableExtensions.ToListAsync(Marten.QueryableExtensions.Stats(ordered, out var stats).Skip(skip).Take(PlanPageSize), ct);
        var total = (int)Math.Min(stats.TotalResults, int.MaxValue);
        if (plans.Count == 0 && skip > 0)
        {
            // Past the last page no row carries the total: ask for the first row's statistics instead (as Paging does).
            await Marten.QueryableExtensions.ToListAsync(Marten.QueryableExtensions.Stats(ordered, out var all).Take(1), ct);
            total = (int)Math.Min(all.TotalResults, int.MaxValue);
        }
        var window = PublicPager.For(number, PlanPageSize, total);
        var body = new StringBuilder($"""
            <form class="search" method="get" action="/public/plans" role="search" aria-label="按年度筛选抽查计划">
            <label for="q-year">年度<input id="q-year" name="year" value="{(year?.ToString(CultureInfo.InvariantCulture) ?? "")}" inputmode="numeric"></label>
            <div class="actions"><button type="submit">筛选</button><a class="button secondary" href="/public/plans">全部</a></div></form>
            <div class="summary"><p id="count" role="status">共 {total} 个计划</p>
            <p class="note">{(total == 0 ? "没有已公示的抽查计划" : $"第 {window.FirstItem}–{window.LastItem} 个，第 {number} / {Math.Max(1, window.PageCount)} 页")}</p></div>
            """);
        if (plans.Count > 0)
        {
            body.Append("<table class=\"stack\"><caption>已公示的年度抽查计划</caption><thead><tr><th scope=\"col\">计划编号</th><th scope=\"col\">计划名称</th><th scope=\"col\">制定机关</th><th scope=\"col\">年度</th><th scope=\"col\">任务数</th><th scope=\"col\">最近公示</th></tr></thead><tbody>");
            foreach (var plan in plans)
            {
                var p = plan.Publications[^1];
                body.Append($"<tr><td data-label=\"计划编号\"><a href=\"/public/plans/{plan.Id}\">{E(plan.Number)}</a></td><td data-label=\"计划名称\">{E(p.Name)}{(plan.Status == PlanStatus.Voided ? " <span class=\"badge warn\">已作废</span>" : "")}</td>" +
                            $"<td data-label=\"制定机关\">{E(p.Department)}</td><td data-label=\"年度\">{plan.Year}</td><td data-label=\"任务数\" class=\"num\">{p.Tasks.Count}</td><td data-label=\"最近公示\">{Date(p.PublishedOn)}（第 {p.Revision} 版）</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        body.Append(Pager(window, n => $"/public/plans?year={year?.ToString(CultureInfo.InvariantCulture)}&page={n}", "计划列表分页"));
        return Render(new PublicPageFrame("年度抽查计划公示", SiteIssuer, [Home, new Crumb("年度抽查计划")], DataAsOf(response)), body.ToString());
    }

    /// <summary>A published plan with its tasks and every adjustment; each task links to its draw and to its published results.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/plans/{planId}"), Tags("Public")]
    public static async Task<IResult> Plan(Guid planId, [ReadReplica] IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<AnnualPlan>(planId, ct) is not { Publications.Count: > 0 } plan) return PublicLayout.NotFound("抽查计划", DataAsOf(response));
        var current = plan.Publications[^1];
        var body = new StringBuilder($"""
            <table class="pairs"><caption>计划概况</caption><tbody>
            <tr><th scope="row">计划编号</th><td id="plan-number">{E(plan.Number)}</td></tr>
            <tr><th scope="row">计划名称</th><td>{E(current.Name)}{(plan.AdHoc ? "（临时任务）" : "")}</td></tr>
            <tr><th scope="row">制定机关</th><td>{E(current.Department)}</td></tr>
            <tr><th scope="row">年度</th><td>{plan.Year}</td></tr>
            <tr><th scope="row">状态</th><td>{(plan.Status == PlanStatus.Voided ? $"<span class=\"badge warn\">已作废</span> {E(plan.VoidReason)}" : "<span class=\"badge ok\">有效</span>")}</td></tr>
            <tr><th scope="row">公示</th><td>第 {current.Revision} 版，{Date(current.PublishedOn)}公示{(current.AdjustmentReason is null ? "" : "；调整原因：" + E(current.AdjustmentReason))}</td></tr>
            {(current.ImplementingScheme is { Length: > 0 } scheme ? $"<tr><th scope=\"row\">实施方案</th><td>{E(scheme)}</td></tr>" : "")}
            <tr><th scope="row">抽查结果</th><td><a id="plan-results" href="/public?planNumber={Q(plan.Number)}&amp;authority={Q(current.Department)}">查看本计划已公示的抽查结果</a></td></tr>
            </tbody></table>
            """);
        var draws = plan.Tasks.Where(t => t.DrawId is not null).ToDictionary(t => t.Number, t => t.DrawId!.Value);
        foreach (var p in plan.Publications.Reverse())
        {
            var isCurrent = p.Revision == current.Revision;
            body.Append($"<section class=\"publication\" aria-labelledby=\"rev-{p.Revision}\"><h2 id=\"rev-{p.Revision}\">{(isCurrent ? "抽查任务" : "历次公示")}：第 {p.Revision} 版（{Date(p.PublishedOn)}公示）{(p.AdjustmentReason is null ? "" : "调整原因：" + E(p.AdjustmentReason))}</h2>");
            body.Append($"<table class=\"stack\"><caption>第 {p.Revision} 版抽查任务（{p.Tasks.Count} 项）</caption><thead><tr><th scope=\"col\">任务编号</th><th scope=\"col\">任务名称</th><th scope=\"col\">类型</th><th scope=\"col\">抽查事项</th><th scope=\"col\">范围</th><th scope=\"col\">比例</th><th scope=\"col\">时间</th><th scope=\"col\">部门</th>{(isCurrent ? "<th scope=\"col\">抽取与结果</th>" : "")}</tr></thead><tbody>");
            foreach (var t in p.Tasks)
            {
                var matters = string.Join("<br>", t.Participants.SelectMany(x => x.Matters).DistinctBy(m => m.Code)
                    .Select(m => E($"{m.Name}（{(m.Category == Supervision.Domain.Directories.MatterCategory.Key ? "重点" : "一般")}）")));
                var departments = t.Participants.Count > 1
                    ? $"牵头：{E(t.LeadDepartment ?? t.InitiatingDepartment)}<br>参与：{E(string.Join("、", t.Participants.Select(x => x.Department).Where(d => d != (t.LeadDepartment ?? t.InitiatingDepartment))))}"
                    : E(t.InitiatingDepartment);
                var follow = "";
                if (isCurrent)
                {
                    var drawLink = draws.TryGetValue(t.Number, out var drawId) ? $"<a class=\"draw\" href=\"/public/draws/{drawId}\">随机抽取记录</a>" : "尚未抽取";
                    follow = $"<td data-label=\"抽取与结果\">{drawLink}<br><a class=\"results\" href=\"/public?planNumber={Q(plan.Number)}&amp;authority={Q(current.Department)}\">抽查结果</a></td>";
                }
                body.Append($"<tr{(isCurrent ? $" id=\"task-{E(t.Number)}\"" : "")}><td data-label=\"任务编号\">{E(t.Number)}</td><td data-label=\"任务名称\">{E(t.Name)}</td><td data-label=\"类型\">{TaskTypeName(t.Type)}</td>" +
                            $"<td data-label=\"抽查事项\">{matters}</td><td data-label=\"范围\">{E(t.ScopeDescription)}</td><td data-label=\"比例\">{E(SamplingText(t.Sampling))}</td>" +
                            $"<td data-label=\"时间\">{Date(t.WindowFrom)} 至 {Date(t.WindowTo)}</td><td data-label=\"部门\">{departments}</td>{follow}</tr>");
            }
            body.Append("</tbody></table></section>");
        }
        return Render(new PublicPageFrame($"{current.Department} {plan.Number} {current.Name}", current.Department,
            [Home, new Crumb("年度抽查计划", "/public/plans"), new Crumb(plan.Number)], DataAsOf(response)), body.ToString());
    }

    private static string ActName(string kind) => kind switch
    {
        "commit" => "纪检承诺",
        "randomness" => "录入随机数",
        "contribution" => "揭示贡献值",
        "draw" => "抽取",
        "inspector" => "执法人员回避替换",
        "target" => "检查对象替换",
        "void" => "作废",
        _ => kind,
    };

    /// <summary>
    /// A draw's commitment, randomness plan and record hash chain, all public at once; the browser itself verifies the public record
    /// against them (draw-verify.js, WebCrypto: a third implementation, independent of the server's). Everything is readable without the script.
    /// </summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/draws/{drawId}"), Tags("Public")]
    public static async Task<IResult> Draw(Guid drawId, [ReadReplica] IQuerySession session, HttpResponse response, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { } draw || draw.Status == DrawStatus.Proposed) return PublicLayout.NotFound("随机抽取记录", DataAsOf(response));
        var summary = Draws.PublicDrawSummary.From(draw, Directories.Inspectors.InspectorAccess.Today(clock));
        var issuer = (await session.LoadAsync<Department>(draw.DepartmentId, ct))?.Name ?? SiteIssuer;
        var planLink = $"<a class=\"plan\" href=\"/public/plans/{draw.PlanId}\">{E(draw.PlanNumber)}</a>";
        var taskLink = $"<a class=\"task\" href=\"/public/plans/{draw.PlanId}#task-{Q(draw.TaskNumber)}\">{E(draw.TaskNumber)}</a>";
        var redo = draw.ReplacesDrawId is Guid replaced ? $"<tr><th scope=\"row\">重抽</th><td>替代已作废的 <a href=\"/public/draws/{replaced}\">{replaced}</a></td></tr>" : "";
        var body = new StringBuilder($"""
            <table class="pairs"><caption>抽取概况</caption><tbody>
            <tr><th scope="row">抽查计划</th><td>{planLink}</td></tr>
            <tr><th scope="row">抽查任务</th><td>{taskLink}</td></tr>
            <tr><th scope="row">状态</th><td id="draw-status" data-status="{draw.Status}">{DrawStatusName(draw.Status)}</td></tr>
            <tr><th scope="row">算法</th><td>{E(draw.Algorithm)}（见 docs/draw-algorithm.md）</td></tr>
            <tr><th scope="row">对象库 / 人员库</th><td>{draw.PoolSize} 户 / {draw.InspectorPoolSize} 人（冻结于事件序号 {draw.PoolAsOfSequence}）</td></tr>
            {redo}
            <tr><th scope="row">抽查结果</th><td><a class="results" href="/public?planNumber={Q(draw.PlanNumber)}&amp;authority={Q(issuer)}">查看本计划已公示的抽查结果</a></td></tr>
            </tbody></table>
            <h2>承诺与记录哈希</h2>
            <table class="pairs"><caption class="vh">承诺与记录哈希</caption><tbody>
            <tr><th scope="row">承诺值（SHA-256）</th><td><code id="commitment">{draw.CommitmentSha256}</code></td></tr>
            <tr><th scope="row">记录哈希（SHA-256，每一步后公布）</th><td><code id="record-sha256">{E(summary.RecordSha256)}</code></td></tr>
            </tbody></table>
            <details><summary>承诺内容（冻结的对象库、人员库和规则）</summary><pre>{E(draw.Commitment)}</pre></details>
            """);
        if (draw.IsV2)
        {
            body.Append("<h2>随机数来源（承诺时已声明）</h2><table class=\"stack\"><caption>随机数来源及记录值</caption><thead><tr><th scope=\"col\">名称</th><th scope=\"col\">类型</th><th scope=\"col\">不早于（UTC）</th><th scope=\"col\">说明</th><th scope=\"col\">记录值</th></tr></thead><tbody>");
            foreach (var s in draw.Sources)
                body.Append($"<tr><td data-label=\"名称\">{E(s.Name)}</td><td data-label=\"类型\">{(s.Kind == DrawV2.Ceremony ? "现场见证" : "公开未来值")}</td><td data-label=\"不早于（UTC）\">{E(DrawV2.Instant(s.NotBefore))}</td><td data-label=\"说明\">{E(s.Description)}</td><td data-label=\"记录值\">{E(draw.Randomness.FirstOrDefault(v => v.Source == s.Name)?.Canonical ?? "（尚未记录）")}</td></tr>");
            body.Append("</tbody></table><h2>记录哈希链</h2><table class=\"stack\"><caption>每一步及其后的记录哈希</caption><thead><tr><th scope=\"col\">步骤</th><th scope=\"col\">类型</th><th scope=\"col\">时间（UTC）</th><th scope=\"col\">该步后的记录哈希</th></tr></thead><tbody>");
            foreach (var link in summary.Chain)
                body.Append($"<tr class='act'><td data-label=\"步骤\">{link.Number}</td><td data-label=\"类型\">{E(ActName(link.Kind))}</td><td data-label=\"时间（UTC）\">{E(link.At)}</td><td data-label=\"该步后的记录哈希\"><code>{link.RecordSha256}</code></td></tr>");
            body.Append($"""
                </tbody></table><h2>在浏览器中验证</h2>
                <p id="verdict" data-result="pending" data-record-url="/api/public/draws/{draw.Id}/record" data-commitment="{draw.CommitmentSha256}" data-record-sha256="{E(summary.RecordSha256)}">正在验证…（需要启用 JavaScript；不启用也可按下文离线验证）</p>
                <p>也可下载 <a href="/api/public/draws/{draw.Id}/record">公开记录</a>，离线运行 <code>python3 tools/verify_draw.py record.json --expect-commitment {draw.CommitmentSha256} --expect-record {E(summary.RecordSha256)}</code>
                （或 <code>dotnet run --project src/Supervision.DrawVerifier -- …</code>、<code>node tools/verify_draw.mjs …</code>）；算法说明见 docs/draw-algorithm.md。</p>
                <script src="/public/draw-verify.js"></script><script src="/public/draw-page.js"></script>
                """);
        }
        return Render(new PublicPageFrame($"随机抽取记录：计划 {draw.PlanNumber} 任务 {draw.TaskNumber}", issuer,
            [Home, new Crumb("年度抽查计划", "/public/plans"), new Crumb(draw.PlanNumber, $"/public/plans/{draw.PlanId}"), new Crumb("随机抽取记录")], DataAsOf(response)),
            body.ToString());
    }

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
}
