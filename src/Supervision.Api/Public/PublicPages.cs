using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Disclosure;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
