using Microsoft.AspNetCore.RateLimiting;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Draws;
using static Supervision.Api.Public.PublicLayout;

namespace Supervision.Api.Public;

public static partial class PublicPages
{
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
}
