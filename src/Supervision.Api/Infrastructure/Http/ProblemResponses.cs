using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// Refusals as RFC 9457 problem documents: <c>errors</c> maps each field (JSON name) to its messages, as ASP.NET's
/// validation problems do, and <c>violations</c> lists field, rule code and message for machines.
/// </summary>
public static class ProblemResponses
{
    // A problem's `type` is the catalogue page of the rule that decided it (GET /problems/{rule}, docs/problems.md).
    public static string TypeFor(string rule) => ApiDocs.ProblemCatalogue.TypeFor(rule);
    public static readonly string TypeInvalid = TypeFor("request.unreadable");
    public static readonly string TypeConflict = TypeFor("version.stale");

    /// <summary>For a Wolverine <c>Validate</c> step: no problem lets the request continue.</summary>
    public static ProblemDetails ToProblem(this Decision decision) =>
        decision.IsRejected ? FromErrors(decision.Errors) : WolverineContinue.NoProblems;

    public static ProblemDetails FromErrors(IReadOnlyList<DomainError> errors)
    {
        var (status, kind, title) =
            errors.Any(e => e.Kind == ErrorKind.Forbidden) ? (StatusCodes.Status403Forbidden, ErrorKind.Forbidden, "The caller may not do this to this object.")
            : errors.Any(e => e.Kind == ErrorKind.Invalid) ? (StatusCodes.Status400BadRequest, ErrorKind.Invalid, "The request breaks a rule.")
            : errors.Any(e => e.Kind == ErrorKind.NotFound) ? (StatusCodes.Status404NotFound, ErrorKind.NotFound, "Something the request names does not exist.")
            : (StatusCodes.Status409Conflict, ErrorKind.Conflict, "The request conflicts with the current state.");
        var problem = new ProblemDetails
        {
            Status = status,
            // The deciding rule's page in the catalogue (GET /problems/{rule}); the other rules broken are in `violations`.
            Type = errors.FirstOrDefault(e => e.Kind == kind) is { } deciding ? TypeFor(deciding.Rule) : TypeConflict,
            Title = title,
            Detail = string.Join(" ", errors.Select(e => e.Message)),
        };
        problem.Extensions["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        problem.Extensions["violations"] = errors.Select(e => new { field = e.Field, rule = e.Rule, message = e.Message }).ToArray();
        return problem;
    }

    /// <summary>
    /// 403 for one refusal decided outside a <see cref="Decision"/> (an access check before any state is loaded). A decision's own
    /// refusals say <see cref="ErrorKind.Forbidden"/> and are mapped by <see cref="FromErrors"/> like every other kind.
    /// </summary>
    public static ProblemDetails Forbidden(DomainError error) => FromErrors([error with { Kind = ErrorKind.Forbidden }]);

    public static ProblemDetails NotFound(string what, object id) => FromErrors(
        [DomainError.NotFound("id", "not-found", $"{what} {id} does not exist.")]);

    /// <summary>Every problem document, including the framework's own, carries the trace id to quote in a support request.</summary>
    public static void Customize(ProblemDetailsOptions options) =>
        options.CustomizeProblemDetails = context =>
        {
            var activity = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
            context.ProblemDetails.Extensions.TryAdd("traceId", activity?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);
        };


    /// <summary>
    /// A refused import: the first <see cref="ImportErrors.MaxListed"/> bad rows as <c>{row, column, rule, message}</c> (also as <c>violations</c>),
    /// with the total and the count per rule, so a keeper can fix the file without the answer growing with it.
    /// </summary>
    public static ProblemDetails ImportRows(ImportErrors errors)
    {
        var problem = FromErrors(errors.Listed.Select(e => DomainError.Invalid(e.Column, e.Rule, $"line {e.Row}: {e.Message}")).ToList());
        problem.Title = $"The file was not imported: {errors.Lines} line(s) break a rule; nothing was written.";
        if (errors.Count > errors.Listed.Count)
            problem.Detail = $"{errors.Count} problems; the first {errors.Listed.Count} are listed, every rule is counted in errorCounts.";
        problem.Extensions["rows"] = errors.Listed.Select(e => new { row = e.Row, column = e.Column, rule = e.Rule, message = e.Message }).ToArray();
        problem.Extensions["errorCount"] = errors.Count;
        problem.Extensions["errorCounts"] = errors.CountsByRule.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
        return problem;
    }

    public static ProblemDetails ImportRows(IReadOnlyCollection<Supervision.Domain.Kernel.ImportRowError> errors)
    {
        var sink = new ImportErrors();
        sink.AddRange(errors);
        return ImportRows(sink);
    }
}
