using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Disclosure;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;
using static Supervision.Api.Public.PublicLayout;

namespace Supervision.Api.Public;

/// <summary>
/// The public web pages (一公开): server-rendered HTML in Chinese over the same public read models as the public API, anonymous,
/// read-only and rate limited, in one layout (<see cref="PublicLayout"/>). Everything shown comes from frozen public copies; a result,
/// its plan, its task and its draw link to each other. Every text from data is HTML-encoded (<see cref="PublicLayout.E"/>).
/// </summary>
public static class PublicPages
{
    public const string RateLimitPolicy = "public";

    /// <summary>Results a search page shows at once: short enough to read on a phone, the rest a page link away.</summary>
    public const int SearchPageSize = 20;

    /// <summary>Plans the list of plans shows at once.</summary>
    public const int PlanPageSize = 30;

    private static readonly Crumb Home = new("首页", "/public");

    /// <summary>Search published results by credit code, entity name, plan number or authority, paged, with every correction shown.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public"), Tags("Public")]
    public static async Task<IResult> ResultsPage([ReadReplica] Npgsql.NpgsqlConnection connection, PublicResultSearch.Storage storage, IDocumentStore store,
        HttpResponse response, string? creditCode, string? name, string? planNumber, string? authority, int? page, CancellationToken ct)
    {
        var body = new StringBuilder();
        body.Append($"""
            <p class="lead">按统一社会信用代码、主体名称、计划编号或抽查机关检索已公示的抽查结果；每条结果可查看其抽查计划、抽查任务和随机抽取记录。</p>
            <form class="search" method="get" action="/public" role="search" aria-label="检索抽查结果">
            <label for="q-credit-code">统一社会信用代码<input id="q-credit-code" name="creditCode" value="{E(creditCode)}" autocomplete="off" inputmode="latin"></label>
            <label for="q-name">主体名称<input id="q-name" name="name" value="{E(name)}"></label>
            <label for="q-plan-number">计划编号<input id="q-plan-number" name="planNumber" value="{E(planNumber)}" inputmode="numeric"></label>
            <label for="q-authority">抽查机关<input id="q-authority" name="authority" value="{E(authority)}"></label>
            <div class="actions"><button type="submit">检索</button><a class="button secondary" href="/public">清空</a></div>
            </form>
            """);
        var filter = new PublicResultFilter(NullIfEmpty(creditCode), NullIfEmpty(name), NullIfEmpty(planNumber), NullIfEmpty(authority), null, null);
        if (filter is { CreditCode: null, Name: null, PlanNumber: null, Authority: null })
            body.Append("<p class=\"note\">请输入至少一个检索条件。</p>");
        else
        {
            var number = Math.Max(1, page ?? 1);
            var (entries, total) = await PublicResultSearch.SearchAsync(connection, storage, filter, number, SearchPageSize, ct);
            var links = await ResultLinksAsync(connection, store, entries.Select(e => e.Current.CaseId).ToArray(), ct);
            var window = PublicPager.For(number, SearchPageSize, total);
            string PageHref(int n) => $"/public?creditCode={Q(creditCode)}&name={Q(name)}&planNumber={Q(planNumber)}&authority={Q(authority)}&page={n}";
            body.Append($"""
                <div class="summary"><p id="count" role="status">共 {total} 条</p>
                <p class="note">{(total == 0 ? "没有符合条件的已公示结果" : $"第 {window.FirstItem}–{window.LastItem} 条，第 {number} / {Math.Max(1, window.PageCount)} 页")}</p></div>
                """);
            foreach (var entry in entries)
                body.Append(ResultCard(entry, links.GetValueOrDefault(entry.Current.CaseId)));
            if (entries.Count == 0 && total > 0)
                body.Append($"<p class=\"note\">本页没有结果：共 {window.PageCount} 页。</p>");
            body.Append(Pager(window, PageHref, "检索结果分页"));
        }
        return Render(new PublicPageFrame("抽查结果公示", SiteIssuer, [new Crumb("抽查结果公示")], DataAsOf(response)), body.ToString());
    }

    /// <summary>Where a result's plan and draw are, from its case (ids only: the pages they lead to show only public copies).</summary>
    public sealed record ResultLinks(Guid PlanId, Guid DrawId);

    private static async Task<IReadOnlyDictionary<Guid, ResultLinks>> ResultLinksAsync(Npgsql.NpgsqlConnection connection, IDocumentStore store, Guid[] caseIds,
        CancellationToken ct)
    {
        var links = new Dictionary<Guid, ResultLinks>();
        if (caseIds.Length == 0) return links;
        await using var command = new Npgsql.NpgsqlCommand(
            $"select id, data ->> 'PlanId', data ->> 'DrawId' from {store.Options.Schema.For<InspectionCase>()} where id = any($1)", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = caseIds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (Guid.TryParse(reader.GetString(1), out var plan) && Guid.TryParse(reader.GetString(2), out var draw))
                links[reader.GetGuid(0)] = new ResultLinks(plan, draw);
        return links;
    }

    private static string LinkList(PublicResult c, Guid publicationId, ResultLinks? links, bool withDetail)
    {
        var items = new List<string>();
        if (withDetail) items.Add($"<a class=\"detail\" href=\"/public/results/{publicationId}\">查看详情</a>");
        if (links is { } l)
        {
            items.Add($"<a class=\"plan\" href=\"/public/plans/{l.PlanId}\">抽查计划 {E(c.PlanNumber)}</a>");
            items.Add($"<a class=\"task\" href=\"/public/plans/{l.PlanId}#task-{Q(c.TaskNumber)}\">抽查任务 {E(c.TaskNumber)}</a>");
            items.Add($"<a class=\"draw\" href=\"/public/draws/{l.DrawId}\">随机抽取记录</a>");
        }
        return items.Count == 0 ? "" : $"<ul class=\"links\">{string.Concat(items.Select(i => $"<li>{i}</li>"))}</ul>";
    }

    private static string ResultRows(PublicResult c) => $"""
        <tr><th scope="row">统一社会信用代码</th><td class="credit-code">{E(c.CreditCode ?? "—")}</td></tr>
        <tr><th scope="row">抽查计划 / 任务</th><td>{E(c.PlanNumber)} / {E(c.TaskNumber)} {E(c.TaskName)}（{TaskTypeName(c.TaskType)}）</td></tr>
        <tr><th scope="row">抽查机关</th><td class="authority">{E(c.Authority)}</td></tr>
        <tr><th scope="row">检查日期</th><td>{Date(c.InspectedOn)}</td></tr>
        <tr><th scope="row">检查方式</th><td>{E(string.Join("、", c.Methods.Select(MethodName)))}</td></tr>
        <tr><th scope="row">抽查事项及结果</th><td>{string.Join("<br>", c.Matters.Select(m => E($"{m.MatterName}：{m.Result}{(m.SubKind is null ? "" : "（" + m.SubKind + "）")}")))}</td></tr>
        <tr><th scope="row">处置情况</th><td>{E(c.Handling ?? "—")}</td></tr>
        <tr><th scope="row">后续处理结果</th><td class="follow-up-outcomes">{(c.FollowUpOutcomes.Count == 0 ? "—" : string.Join("<br>", c.FollowUpOutcomes.Select(o => E($"{o.DecidingBody}：{o.Outcome}（{Date(o.CompletedOn)}，{MeasureName(o.Kind)}）"))))}</td></tr>
        <tr><th scope="row">公示日期</th><td>{Date(c.PublishedOn)}（第 {c.Revision} 版）</td></tr>
        """;

    private static string History(IReadOnlyList<PublicResult> history)
    {
        if (history.Count <= 1) return "";
        var html = new StringBuilder("<div class=\"history\"><h3>更正记录</h3><ol reversed>");
        foreach (var h in history)
            html.Append($"<li class=\"revision\">第 {h.Revision} 版，{Date(h.PublishedOn)}公示{(h.CorrectionReason is null ? "" : "，更正原因：" + E(h.CorrectionReason))}</li>");
        return html.Append("</ol></div>").ToString();
    }

    private static string ResultCard(PublicResultEntry entry, ResultLinks? links)
    {
        var c = entry.Current;
        return $"""
            <article class="result" data-publication="{entry.PublicationId}" aria-labelledby="r-{entry.PublicationId}">
            <h2 id="r-{entry.PublicationId}"><a href="/public/results/{entry.PublicationId}">{E(c.EntityName)}</a></h2>
            <table class="pairs"><caption class="vh">{E(c.EntityName)} 抽查结果（第 {c.Revision} 版）</caption><tbody>
            {ResultRows(c)}
            </tbody></table>
            {History(entry.History)}
            {LinkList(c, entry.PublicationId, links, withDetail: true)}
            </article>
            """;
    }

    /// <summary>One published result with every public revision, linked to its plan, its task and its draw.</summary>
    [AllowAnonymous, EnableRateLimiting(RateLimitPolicy)]
    [WolverineGet("/public/results/{publicationId}"), Tags("Public")]
    public static async Task<IResult> Result(Guid publicationId, [ReadReplica] IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<ResultPublication>(publicationId, ct) is not { Withheld: false, Current: { } c } publication)
            return PublicLayout.NotFound("抽查结果", DataAsOf(response));
        var links = await session.LoadAsync<InspectionCase>(publication.CaseId, ct) is { } inspectionCase
            ? new ResultLinks(inspectionCase.PlanId, inspectionCase.DrawId) : null;
        var history = publication.PublicHistory();
        var body = new StringBuilder($"""
            <p class="lead">检查对象：<strong>{E(c.EntityName)}</strong>　<span class="badge">第 {c.Revision} 版</span></p>
            <table class="pairs"><caption>抽查结果（{Date(c.PublishedOn)} 公示）</caption><tbody>
            {ResultRows(c)}
            </tbody></table>
            """);
        if (c.RedactedFields.Count > 0)
            body.Append($"<p class=\"note\">部分内容依法不予公开（{c.RedactedFields.Count} 项），显示为“{E(RedactableFields.Redacted)}”。</p>");
        body.Append("<h2>相关信息</h2>").Append(LinkList(c, publication.Id, links, withDetail: false));
        if (history.Count > 1)
        {
            body.Append("<h2>历次公示</h2><table class=\"stack\"><caption>本结果的公示与更正记录（最新在前）</caption><thead><tr><th scope=\"col\">版本</th><th scope=\"col\">公示日期</th><th scope=\"col\">更正原因</th><th scope=\"col\">抽查事项及结果</th></tr></thead><tbody>");
            foreach (var h in history)
                body.Append($"<tr class=\"revision\"><td data-label=\"版本\">第 {h.Revision} 版</td><td data-label=\"公示日期\">{Date(h.PublishedOn)}</td><td data-label=\"更正原因\">{E(h.CorrectionReason ?? "—")}</td><td data-label=\"抽查事项及结果\">{string.Join("<br>", h.Matters.Select(m => E($"{m.MatterName}：{m.Result}")))}</td></tr>");
            body.Append("</tbody></table>");
        }
        return Render(new PublicPageFrame($"抽查结果：{c.EntityName}", c.Authority, [Home, new Crumb("抽查结果公示", "/public"), new Crumb(c.EntityName)], DataAsOf(response)),
            body.ToString());
    }

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

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
