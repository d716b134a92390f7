using System.Diagnostics;
using System.Globalization;
using Marten;
using Supervision.Api.Infrastructure;
using Supervision.Domain.Directories;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Kernel;
using Supervision.Domain.Plans;

// Loads N published results into the database named by ConnectionStrings__Supervision (created empty by public-search.sh): the schema
// the model declares, then each publication as the projection makes it, PublicationRules.Evolve over its ResultPublished event, bulk
// inserted (COPY). Publication n is of the enterprise with credit code 91130500MA{n:D8}; one in five has a correction, one in
// twenty is withheld. The benchmark only reads the documents, so the events themselves are not stored.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 18_000;
var builder = WebApplication.CreateBuilder(["--environment", "Development"]);
builder.Configuration["Supervision:TypeLoadMode"] = "Dynamic";
builder.AddSupervision();
await using var app = builder.Build();
var store = app.Services.GetRequiredService<IDocumentStore>();
// Every schema object the service needs (Marten's and Wolverine's), so the service can then start in production mode.
await JasperFx.Resources.ResourceHostExtensions.SetupResources(app);

var by = new Actor("bench-approver", "bench", Roles.Approver, Guid.NewGuid());
string[] counties = ["邢台市襄都区", "邢台市信都区", "内丘县", "临城县", "柏乡县"];
var watch = Stopwatch.StartNew();
var batch = new List<ResultPublication>(10_000);
for (var n = 0; n < count; n++)
{
    var id = Guid.NewGuid();
    var caseId = Guid.NewGuid();
    var inspected = new DateOnly(2026, 1, 5).AddDays(n % 300);
    ResultPublication? publication;
    if (n % 20 == 19)
        publication = PublicationRules.Evolve(null, new ResultWithheld(id, caseId, WithholdingGround.CommercialSecret, "《反不正当竞争法》第九条", "涉及商业秘密", by));
    else
    {
        var content = new PublicResult(id, 1, caseId, $"2026{n % 40:000}", "1", "双随机抽查任务", TaskType.Undirected, $"{counties[n % 5]}市场监督管理局", inspected,
            $"邢台基准测试企业{n}有限公司", $"91130500MA{n:D8}",
            [new PublicMatterResult("M1", "营业执照（登记证）规范使用情况的检查", "未发现问题", null), new PublicMatterResult("M2", "年度报告公示信息的检查", n % 7 == 0 ? "发现问题已责令改正" : "未发现问题", null)],
            [InspectionMethod.OnSite], n % 7 == 0 ? "已责令改正" : null, inspected.AddDays(10), null, null, []);
        publication = PublicationRules.Evolve(null, new ResultPublished(id, content, [], by));
        if (n % 5 == 0)
            publication = PublicationRules.Evolve(publication, new PublicationCorrected(id,
                content with { Revision = 2, PublishedOn = inspected.AddDays(15), Corrects = 1, CorrectionReason = "补充整改结果", Handling = "企业已整改完毕" }, [], "补充整改结果", by));
    }
    batch.Add(publication! with { Version = publication!.Revisions.Count is 0 ? 1 : publication.Revisions.Count });
    if (batch.Count == batch.Capacity || n == count - 1)
    {
        await store.BulkInsertDocumentsAsync(batch);
        batch.Clear();
    }
}
Console.WriteLine($"loaded {count:N0} publications in {watch.Elapsed.TotalSeconds:F1} s");
