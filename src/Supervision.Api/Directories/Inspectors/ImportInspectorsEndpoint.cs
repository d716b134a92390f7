using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Inspectors;

/// <param name="AlreadyImported">True when this file had already been imported for the department: nothing was written now.</param>
public sealed record InspectorImportResult(
    Guid ImportId, Guid DepartmentId, string FileSha256, string Encoding, int Rows, int Registered, int Changed, int Unchanged, bool AlreadyImported)
{
    public static InspectorImportResult From(InspectorImportCompleted c, bool alreadyImported) =>
        new(c.ImportId, c.DepartmentId, c.FileSha256, c.Encoding, c.Rows, c.Registered, c.Changed, c.Unchanged, alreadyImported);
}

/// <summary>What the load step found: a refusal, an earlier import of the same file, or a plan to write.</summary>
public sealed record InspectorImportOutcome(ProblemDetails? Problem, InspectorImportResult? Earlier, InspectorImportPlan? Plan);

/// <summary>
/// <c>POST /api/inspectors/import?departmentId=…</c> with a CSV body (<c>text/csv</c>, UTF-8 with or without BOM, or GB18030):
/// a department's inspectors in bulk, all or nothing. Columns: see <see cref="InspectorImport.Columns"/>; tags separated by ';'.
/// The same file imported again for the same department is answered with the first import's result and writes nothing.
/// </summary>
public static class ImportInspectorsEndpoint
{
    public const int MaxFileBytes = 10 * 1024 * 1024;
    private const int LoadBatch = 2000;

    public static async Task<InspectorImportOutcome> LoadAsync(
        HttpRequest request, Guid? departmentId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var by = user.As(Roles.DirectoryKeeper);
        if (InspectorImport.CheckRequest(departmentId, by) is { } refused) return Refused(refused);
        var department = departmentId!.Value;

        if (request.Body.CanSeek) request.Body.Position = 0;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxFileBytes)
                return Refused(DomainError.Invalid("body", "csv.too-large", $"An import file is at most {MaxFileBytes / 1024 / 1024} MB; split it."));
        }
        var bytes = buffer.ToArray();
        var sha = InspectorImport.Sha256(bytes);

        var importId = InspectorImport.IdFor(department, sha);
        if (await session.Events.FetchStreamStateAsync(importId, ct) is not null)
        {
            var earlier = (InspectorImportCompleted)(await session.Events.FetchStreamAsync(importId, token: ct))[0].Data;
            return new(null, InspectorImportResult.From(earlier, alreadyImported: true), null);
        }

        var owner = await session.LoadAsync<Department>(department, ct);
        if (InspectorImport.CheckDepartment(department, owner) is { } notThere) return Refused(notThere);

        var (sheet, encoding, unreadable) = InspectorImport.Read(bytes);
        if (unreadable is not null) return new(RowsProblem([unreadable]), null, null);

        var existing = new Dictionary<Guid, Inspector>();
        foreach (var ids in InspectorImport.InspectorIds(sheet!).Chunk(LoadBatch))
        {
            foreach (var inspector in await session.LoadManyAsync<Inspector>(ct, ids)) existing[inspector.Id] = inspector;
        }
        var library = await TagLibrary.LoadAsync(session, InspectorImport.TagCodes(sheet!), ct);
        var plan = InspectorImport.Plan(sheet!, department, owner, existing, library, sha, encoding, InspectorAccess.Today(clock), by);
        return plan.IsRejected ? new(RowsProblem(plan.Errors), null, null) : new(null, null, plan);
    }

    public static ProblemDetails Validate(InspectorImportOutcome outcome) => outcome.Problem ?? WolverineContinue.NoProblems;

    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/import"), Tags("Inspectors")]
    public static async Task<InspectorImportResult> Post([NotBody] InspectorImportOutcome outcome, IDocumentSession session, CancellationToken ct)
    {
        if (outcome.Earlier is not null) return outcome.Earlier;
        var plan = outcome.Plan!;
        foreach (var write in plan.Writes)
        {
            if (write.ExpectedVersion is not { } expected)
            {
                session.Events.StartStream<Inspector>(write.InspectorId, write.Events.ToArray());
                continue;
            }
            // Refused with 409 when someone changed the inspector since the file was checked against it.
            var stream = await session.Events.FetchForWriting<Inspector>(write.InspectorId, expected, ct);
            stream.AppendMany(write.Events.ToArray());
        }
        var completed = plan.Completed!;
        session.Events.StartStream(completed.ImportId, completed);
        return InspectorImportResult.From(completed, alreadyImported: false);
    }

    private static InspectorImportOutcome Refused(DomainError error) => new(ProblemResponses.FromErrors([error]), null, null);

    /// <summary>A 400 listing every bad row as <c>{row, column, rule, message}</c> (also as the usual <c>violations</c>).</summary>
    private static ProblemDetails RowsProblem(IReadOnlyList<ImportRowError> errors) => ProblemResponses.ImportRows(errors);
}
