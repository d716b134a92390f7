using Supervision.Domain.Access;
using Supervision.Api.Directories.Tags;
using System.Security.Claims;
using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Api.Infrastructure.Auth;
using Supervision.Api.Infrastructure.Http;
using Supervision.Domain.Directories;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Wolverine.Http;

namespace Supervision.Api.Directories.Targets;

public sealed record TargetImportResult(
    Guid ImportId, string FileSha256, string Encoding, int Rows, int Registered, int Changed, int Unchanged, bool AlreadyImported);

/// <summary>What the load step found: an earlier import of the same file, refused rows, or a plan to write.</summary>
public sealed record TargetImportOutcome(TargetImportResult? Earlier, IReadOnlyList<ImportRowError> Errors, TargetImport.Plan? Plan,
    string Sha256, string Encoding, int Rows, Actor By);

/// <summary>
/// <c>POST /api/targets/import</c> with a CSV body (<c>text/csv</c>): the whole file or nothing. Columns are listed in
/// <see cref="TargetImport.Columns"/>; departments are named by their codes, several separated by ';', as are tags.
/// </summary>
public static class ImportTargetsEndpoint
{
    private const int LoadBatch = 2000;

    public static async Task<TargetImportOutcome> LoadAsync(HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var by = user.As(Roles.DirectoryKeeper);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var importId = TargetImportCompleted.IdFor(sha);
        if (await session.Events.FetchStreamStateAsync(importId, ct) is not null)
        {
            var earlier = (TargetImportCompleted)(await session.Events.FetchStreamAsync(importId, token: ct))[0].Data;
            return new(new TargetImportResult(importId, sha, earlier.Encoding, earlier.Rows, earlier.Registered, earlier.Changed, earlier.Unchanged, true),
                [], null, sha, earlier.Encoding, earlier.Rows, by);
        }

        var (text, encoding, problem) = CsvFile.Decode(bytes);
        if (problem is not null) return new(null, [new ImportRowError(1, "", "csv.encoding", problem)], null, sha, encoding, 0, by);

        var (rows, readErrors) = TargetImport.Read(CsvFile.Parse(text!).ToList());
        if (rows.Count == 0 && readErrors.Count > 0) return new(null, readErrors, null, sha, encoding, 0, by);
        // docs/access.md: a keeper imports only targets of the regions its department supervises.
        var (keeper, _) = await Readers.LoadAsync(user, session, ct);
        readErrors = [.. readErrors, .. rows.Select(r => (Line: r.Row, Refused: WriteAccess.KeeperMayWriteTarget(keeper, r.Command.RegionCode)))
            .Where(r => r.Refused is not null).Select(r => new ImportRowError(r.Line, "region_code", r.Refused!.Rule, r.Refused.Message))];

        var existing = new Dictionary<Guid, Target>();
        var ids = rows.Where(r => r.Command.Kind is not null && (r.Command.CreditCode ?? r.Command.Code) is not null)
            .Select(r => Target.IdFor(Target.IdentifierFor(r.Command.Kind!.Value, r.Command.CreditCode, r.Command.Code)))
            .ToArray();
        foreach (var chunk in ids.Chunk(LoadBatch))
        {
            foreach (var target in await session.LoadManyAsync<Target>(ct, chunk)) existing[target.Id] = target;
        }
        var departments = (await session.Query<Department>().ToListAsync(ct)).ToDictionary(d => d.Code);
        var tags = await TagLibrary.LoadAsync(session, rows.SelectMany(r => r.Command.Tags ?? []), ct);
        var schemes = (await session.Query<CreditSchemeState>().ToListAsync(ct)).ToDictionary(s => s.ProvinceCode, s => new CreditRiskScheme(s.Classes));
        CreditRiskScheme SchemeFor(string region) => schemes.GetValueOrDefault(CreditSchemeState.ProvinceOf(region), CreditRiskScheme.Default);

        // Every problem of the file in one answer: cells that could not be read, and rules the readable rows break.
        var (plan, errors) = TargetImport.Decide(rows, existing, departments, tags, SchemeFor, $"import:{sha[..12]}", $"import of file {sha[..12]}", by);
        var all = readErrors.Concat(errors).DistinctBy(e => (e.Row, e.Column, e.Rule)).OrderBy(e => e.Row).ToList();
        return new(null, all, all.Count == 0 ? plan : null, sha, encoding, rows.Count, by);
    }

    public static ProblemDetails Validate(TargetImportOutcome outcome)
    {
        return outcome.Errors.Count == 0 ? WolverineContinue.NoProblems : ProblemResponses.ImportRows(outcome.Errors);
    }

    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/targets/import"), Tags("Targets")]
    public static TargetImportResult Post([NotBody] TargetImportOutcome outcome, IDocumentSession session)
    {
        if (outcome.Earlier is not null) return outcome.Earlier;
        var plan = outcome.Plan!;
        foreach (var (targetId, isNew, events) in plan.Streams)
        {
            if (isNew) session.Events.StartStream<Target>(targetId, events.ToArray());
            else session.Events.Append(targetId, events.ToArray());
        }
        var registered = plan.Streams.Count(s => s.IsNew);
        var completed = new TargetImportCompleted(TargetImportCompleted.IdFor(outcome.Sha256), outcome.Sha256, outcome.Encoding, outcome.Rows,
            registered, plan.Streams.Count - registered, plan.Unchanged, outcome.By);
        session.Events.StartStream(completed.ImportId, completed);
        return new TargetImportResult(completed.ImportId, outcome.Sha256, outcome.Encoding, outcome.Rows, completed.Registered, completed.Changed,
            completed.Unchanged, false);
    }
}
