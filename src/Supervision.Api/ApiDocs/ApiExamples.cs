using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Supervision.Api.ApiDocs;

/// <summary>
/// Worked examples of the main flows (plan approval, the draw, result entry, publication, the public search), keyed by operation.
/// <c>ops/openapi-check.sh</c> lints <c>docs/openapi.json</c> with Redocly's <c>no-invalid-media-type-examples</c>, so an example that no
/// longer fits its schema fails the build.
/// </summary>
public static class ApiExamples
{
    private sealed record Example(string Summary, string? Request = null, string? Response = null, string ResponseStatus = "200",
        string? Problem = null, string ProblemStatus = "409");

    // One county market regulation bureau's 2026 plan (2026001), its first task (2026001-01), a case and its result.
    private static readonly Dictionary<string, Example> ByOperation = new(StringComparer.Ordinal)
    {
        ["POST /api/plans"] = new("Draft the 2026 plan of 鹿泉区市场监督管理局", """
            {"departmentId": "5d1c9a8e-3f0b-5c3e-9a8e-0d6f6b1c2a01", "year": 2026, "name": "鹿泉区市场监督管理局2026年度双随机抽查工作计划",
             "implementingScheme": "石鹿市监〔2026〕3号", "adHoc": false}
            """),
        ["POST /api/plans/{planId}/submit"] = new("Submit version 4 of the draft (after its tasks were added)", """{"version": 4}"""),
        ["POST /api/plans/{planId}/approve"] = new("Approve (by someone other than the planners who drafted it)",
            """{"comment": "同意。联合抽查任务请与县卫健局对接。", "version": 5}""", Problem: """
            {"type": "/problems/plan.approval.self", "title": "The request conflicts with the current state.", "status": 409,
             "detail": "Four-eyes approval: li.ming drafted or last changed this plan and cannot approve or return it.",
             "errors": {"approver": ["Four-eyes approval: li.ming drafted or last changed this plan and cannot approve or return it."]},
             "violations": [{"field": "approver", "rule": "plan.approval.self",
               "message": "Four-eyes approval: li.ming drafted or last changed this plan and cannot approve or return it."}],
             "traceId": "4bf92f3577b34da6a3ce929d0e0e4736"}
            """),
        ["POST /api/plans/{planId}/publish"] = new("Publish the approved plan on the day of the act", """{"publishedOn": "2026-02-10", "version": 6}"""),
        ["POST /api/draws"] = new("Propose the draw of task 2026001-01, its randomness a future 福彩3D period and a witnessed ceremony", """
            {"planId": "7b6f2a14-98c1-4b7e-a3c5-2e9d0f1a6b33", "taskNumber": "2026001-01", "loadCap": null, "batches": null,
             "sources": [
               {"name": "fc3d-2026087", "kind": "beacon", "notBefore": "2026-03-31T21:15:00+08:00", "description": "福彩3D 第2026087期开奖号码"},
               {"name": "ceremony-0401", "kind": "ceremony", "notBefore": "2026-04-01T09:00:00+08:00", "description": "纪检监督下现场摇号，两人录入"}],
             "replacesDrawId": null}
            """, ResponseStatus: "201"),
        ["POST /api/draws/{drawId}/randomness"] = new("Enter a source's value after its moment (a second person must enter the same)",
            """{"source": "fc3d-2026087", "value": "4 0 7"}"""),
        ["POST /api/draws/{drawId}/draw"] = new("Draw, once every value and the discipline contribution are in", """{"version": 7}"""),
        ["POST /api/cases/{caseId}/results"] = new("Enter the result of a matter: a problem, ordered to be corrected", """
            {"matterId": "0c4b8e2d-6a1f-4d3b-9e57-1f2a3b4c5d6e", "code": "problem-pending", "subKind": "undisclosed-information",
             "found": "2025年度报告未公示社保信息", "handling": "责令限期30日内补报", "followUpMeasure": "RectificationOrder", "version": 3}
            """),
        ["POST /api/cases/{caseId}/publication"] = new("Publish the approved result, one field redacted on a legal ground", """
            {"publishedOn": "2026-05-12",
             "redactions": [{"field": "handling", "ground": "PersonalPrivacy", "legalBasis": "《中华人民共和国个人信息保护法》第二十八条"}],
             "handling": "责令限期改正"}
            """),
        ["GET /api/public/results"] = new("One published result (a search by credit code)", Response: """
            [{"publicationId": "3f9a1c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b",
              "current": {"publicationId": "3f9a1c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b", "revision": 1, "caseId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "planNumber": "2026001", "taskNumber": "2026001-01", "taskName": "食品经营者信息公示情况抽查", "taskType": "Undirected",
                "authority": "石家庄市鹿泉区市场监督管理局", "inspectedOn": "2026-04-20", "entityName": "鹿泉区某某餐饮有限公司",
                "creditCode": "91130185MA0XXXXX1X", "matters": [{"matterCode": "SJ-001", "matterName": "企业公示信息抽查",
                "result": "发现问题待后续处理", "subKind": "未按规定公示应当公示的信息"}],
                "methods": ["OnSite"], "handling": "责令限期改正", "publishedOn": "2026-05-12", "corrects": null, "correctionReason": null,
                "redactedFields": [], "followUpOutcomes": []},
              "history": []}]
            """),
    };

    public static IEnumerable<string> Operations => ByOperation.Keys;

    public static void Apply(OpenApiOperation operation, string verb, string route)
    {
        if (!ByOperation.TryGetValue($"{verb} {route}", out var example)) return;
        if (example.Request is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            body.Example = JsonNode.Parse(request);
        if (example.Response is { } response && operation.Responses?.TryGetValue(example.ResponseStatus, out var answer) == true
            && answer.Content?.TryGetValue("application/json", out var content) == true)
            content.Example = JsonNode.Parse(response);
        if (example.Problem is { } problem && operation.Responses?.TryGetValue(example.ProblemStatus, out var refusal) == true
            && refusal.Content?.TryGetValue("application/problem+json", out var problemContent) == true)
            problemContent.Example = JsonNode.Parse(problem);
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-example-summary"] = new JsonNodeExtension(JsonValue.Create(example.Summary));
    }
}
