using System.Security.Cryptography;
using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Targets;

public sealed record TargetImportResult(
    Guid ImportId, string FileSha256, string Encoding, int Rows, int Registered, int Changed, int Unchanged, bool AlreadyImported);

/// <summary>What the load step found: an earlier import of the same file, refused rows, or a plan to write.</summary>
public sealed record TargetImportOutcome(TargetImportResult? Earlier, ImportErrors Errors, TargetImportCounts? Written,
    string Sha256, string Encoding, int Rows, Actor By);

/// <summary>What an accepted file wrote (already in the session's transaction, committed with the completion event).</summary>
public sealed record TargetImportCounts(int Registered, int Changed, int Unchanged);

/// <summary>
/// <c>POST /api/targets/import</c> with a CSV body (<c>text/csv</c>): the whole file or nothing. Columns are listed in
/// <see cref="TargetImport.Columns"/>; departments are named by their codes, several separated by ';', as are tags.
/// The file streams through: it is spooled to a temporary file while hashed, then read, decided and written in chunks, so memory
/// does not grow with the file's size (the first bad rows are listed, every rule counted). Each clean chunk is written at once
/// with binary COPY (<see cref="BulkTargetWriter"/>) inside the session's transaction; a bad row anywhere, a failure or a
/// cancellation leaves the transaction uncommitted, so nothing of the file is kept. <c>Supervision:TargetImportWrites=row-by-row</c>
/// appends through the session instead (Marten's own append and inline projections): kept only as the reference the bulk path is
/// tested against.
/// </summary>
public static class ImportTargetsEndpoint
{
    private const int LoadBatch = 2000;

    public static async Task<TargetImportOutcome> LoadAsync(HttpRequest request, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var settings = request.HttpContext.RequestServices.GetRequiredService<SupervisionSettings>();
        var (path, sha, _) = await SpoolAsync(request, settings.ImportMaxBytes, ct);
        try
        {
            var rowByRow = settings.TargetImportWrites == SupervisionSettings.RowByRowImportWrites;
            return await LoadFileAsync(path, sha, user, session, rowByRow, null, ct,
                request.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ImportTargetsEndpoint)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Copies the body to a temporary file while hashing it (the caller deletes the file), and counts its lines: the rows total a
    /// job reports before it has read them (a quoted cell holding a line break makes it an overestimate; the final count is exact).
    /// A body over <paramref name="maxBytes"/> (declared or found while reading) is refused with 413 before anything is decided.
    /// </summary>
    public static async Task<(string Path, string Sha256, long Lines)> SpoolAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = maxBytes;
        if (request.ContentLength > maxBytes)
            throw new BadHttpRequestException($"An import file is at most {maxBytes} bytes (Supervision:Imports:MaxBytes).", StatusCodes.Status413PayloadTooLarge);
        var body = request.Body;
        var path = Path.GetTempFileName();
        try
        {
            long lines = 0;
            var endsWithNewline = true;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                for (int n; (n = await body.ReadAsync(buffer, ct)) > 0;)
                {
                    hash.AppendData(buffer, 0, n);
                    lines += buffer.AsSpan(0, n).Count((byte)'\n');
                    endsWithNewline = buffer[n - 1] == (byte)'\n';
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            if (!endsWithNewline) lines++;
            return (path, Convert.ToHexStringLower(hash.GetHashAndReset()), lines);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Reads, decides and writes a spooled file in the session's transaction (left uncommitted: the caller commits with the completion
    /// event from <see cref="Complete"/>). <paramref name="progress"/>, when given, hears the rows read after each chunk.
    /// </summary>
    public static async Task<TargetImportOutcome> LoadFileAsync(string path, string sha, ClaimsPrincipal user, IDocumentSession session, bool rowByRow,
        Func<long, Task>? progress, CancellationToken ct, ILogger? logger = null)
    {
        var by = user.As(Roles.DirectoryKeeper);
        var importId = TargetImportCompleted.IdFor(sha);
        // One import of a file at a time: a second upload of the same file waits here, then finds the first one's completion.
        var writer = await BulkTargetWriter.OpenAsync(session, ct);
        await using (var exclusive = new Npgsql.NpgsqlCommand("select pg_advisory_xact_lock($1)", (Npgsql.NpgsqlConnection)session.Connection!))
        {
            exclusive.Parameters.Add(new Npgsql.NpgsqlParameter { Value = BitConverter.ToInt64(importId.ToByteArray()) });
            await exclusive.ExecuteNonQueryAsync(ct);
        }
        if (await session.Events.FetchStreamStateAsync(importId, ct) is not null)
        {
            var earlier = (TargetImportCompleted)(await session.Events.FetchStreamAsync(importId, token: ct))[0].Data;
            return new(new TargetImportResult(importId, sha, earlier.Encoding, earlier.Rows, earlier.Registered, earlier.Changed, earlier.Unchanged, true),
                new ImportErrors(), null, sha, earlier.Encoding, earlier.Rows, by);
        }

        var errors = new ImportErrors();
        var (encoding, bom, encodingName, problem) = CsvFile.Detect(path);
        if (problem is not null)
        {
            errors.Add(new ImportRowError(1, "", "csv.encoding", problem));
            return new(null, errors, null, sha, encodingName, 0, by);
        }

        var departments = (await session.Query<Department>().ToListAsync(ct)).ToDictionary(d => d.Code);
        var schemes = (await session.Query<CreditSchemeState>().ToListAsync(ct)).ToDictionary(s => s.ProvinceCode, s => new CreditRiskScheme(s.Classes));
        CreditRiskScheme SchemeFor(string region) => schemes.GetValueOrDefault(CreditSchemeState.ProvinceOf(region), CreditRiskScheme.Default);
        var (keeper, _) = await Readers.LoadAsync(user, session, ct);

        await using var stream = File.OpenRead(path);
        if (bom) stream.Position = 3;
        using var reader = new StreamReader(stream, encoding!, detectEncodingFromByteOrderMarks: false);
        using var rows = CsvFile.Parse(reader).GetEnumerator();
        if (!rows.MoveNext())
        {
            errors.Add(TargetImport.Empty);
            return new(null, errors, null, sha, encodingName, 0, by);
        }
        var (header, headerErrors) = TargetImport.Header(rows.Current);
        if (headerErrors.Count > 0)
        {
            errors.AddRange(headerErrors);
            return new(null, errors, null, sha, encodingName, 0, by);
        }

        // Read, check, decide and write a chunk at a time. Writing stops at the first bad row (the transaction will not be
        // committed); reading goes on so that every bad row is reported.
        var duplicates = new TargetImport.Duplicates();
        int registered = 0, changed = 0, unchanged = 0;
        var count = 0;
        var chunk = new List<TargetImport.ParsedRow>(LoadBatch);
        // Where an import's time goes, logged at its end (the benchmark reads it): reading and checking rows, loading what they
        // refer to and deciding, writing.
        var total = System.Diagnostics.Stopwatch.StartNew();
        var deciding = new System.Diagnostics.Stopwatch();
        var writing = new System.Diagnostics.Stopwatch();
        async Task DecideChunkAsync()
        {
            deciding.Start();
            var found = new List<ImportRowError>();
            foreach (var row in chunk) duplicates.Check(row, found);
            // docs/access.md: a keeper imports only targets of the regions its department supervises.
            foreach (var row in chunk)
                if (WriteAccess.KeeperMayWriteTarget(keeper, row.Command.RegionCode) is { } refused)
                    found.Add(new ImportRowError(row.Row, "region_code", refused.Rule, refused.Message));
            var ids = chunk.Where(r => r.Command.Kind is not null && (r.Command.CreditCode ?? r.Command.Code) is not null)
                .Select(r => Target.IdFor(Target.IdentifierFor(r.Command.Kind!.Value, r.Command.CreditCode, r.Command.Code))).Distinct().ToArray();
            var existing = (await session.LoadManyAsync<Target>(ct, ids)).ToDictionary(t => t.Id);
            var tags = await TagLibrary.LoadAsync(session, chunk.SelectMany(r => r.Command.Tags ?? []), ct);
            var (plan, decided) = TargetImport.Decide(chunk, existing, departments, tags, SchemeFor, $"import:{sha[..12]}", $"import of file {sha[..12]}", by);
            found.AddRange(decided);
            errors.AddRange(found.DistinctBy(e => (e.Row, e.Column, e.Rule)).OrderBy(e => e.Row));
            deciding.Stop();
            if (errors.Count == 0 && plan is not null)
            {
                writing.Start();
                if (rowByRow) AppendThroughSession(session, plan);
                else await writer.WriteAsync(plan.Streams, existing, ct);
                writing.Stop();
                registered += plan.Streams.Count(s => s.IsNew);
                changed += plan.Streams.Count(s => !s.IsNew);
                unchanged += plan.Unchanged;
            }
            chunk.Clear();
        }

        while (rows.MoveNext())
        {
            count++;
            var readErrors = new List<ImportRowError>();
            if (TargetImport.ReadRow(header, rows.Current, readErrors) is { } parsed) chunk.Add(parsed);
            errors.AddRange(readErrors);
            if (chunk.Count >= LoadBatch)
            {
                await DecideChunkAsync();
                if (progress is not null) await progress(count);
            }
        }
        if (chunk.Count > 0) await DecideChunkAsync();
        logger?.LogInformation("Target import {Sha}: {Rows} rows in {TotalMs} ms: read {ReadMs} ms, load and decide {DecideMs} ms, write {WriteMs} ms ({WriteSplit}), {Errors} errors",
            sha[..12], count, total.ElapsedMilliseconds, total.ElapsedMilliseconds - deciding.ElapsedMilliseconds - writing.ElapsedMilliseconds,
            deciding.ElapsedMilliseconds, writing.ElapsedMilliseconds, writer.Timings, errors.Count);
        return new(null, errors, errors.Count == 0 ? new TargetImportCounts(registered, changed, unchanged) : null, sha, encodingName, count, by);
    }

    /// <summary>The row-by-row reference: Marten's own append, with its inline projections, at the session's commit.</summary>
    private static void AppendThroughSession(IDocumentSession session, TargetImport.Plan plan)
    {
        foreach (var (targetId, isNew, events) in plan.Streams)
        {
            if (isNew) session.Events.StartStream<Target>(targetId, events.ToArray());
            else session.Events.Append(targetId, events.ToArray());
        }
    }

    public static ProblemDetails Validate(TargetImportOutcome outcome) =>
        outcome.Errors.Count == 0 ? WolverineContinue.NoProblems : ProblemResponses.ImportRows(outcome.Errors);

    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets/import"), Tags("Targets")]
    public static TargetImportResult Post([NotBody] TargetImportOutcome outcome, IDocumentSession session) => Complete(outcome, session);

    /// <summary>The report of an accepted file; a first import also appends its completion event, committed with everything it wrote.</summary>
    public static TargetImportResult Complete(TargetImportOutcome outcome, IDocumentSession session)
    {
        if (outcome.Earlier is not null) return outcome.Earlier;
        var written = outcome.Written!;
        var completed = new TargetImportCompleted(TargetImportCompleted.IdFor(outcome.Sha256), outcome.Sha256, outcome.Encoding, outcome.Rows,
            written.Registered, written.Changed, written.Unchanged, outcome.By);
        session.Events.StartStream(completed.ImportId, completed);
        return new TargetImportResult(completed.ImportId, outcome.Sha256, outcome.Encoding, outcome.Rows, completed.Registered, completed.Changed,
            completed.Unchanged, false);
    }
}
