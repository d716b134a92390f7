using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Plans;
using static Supervision.Api.Public.PublicLayout;

namespace Supervision.Api.Public;

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
}
