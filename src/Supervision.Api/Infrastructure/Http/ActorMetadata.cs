using System.Diagnostics;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// Stamps the Marten session of every state-changing request with who made it and which request it was, so every
/// event appended carries user, roles, department and correlation id in its metadata, beside the actor in its body.
/// A client may send <c>X-Correlation-Id</c> to tie several requests together; otherwise the trace id is used.
/// </summary>
public static class ActorMetadata
{
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string UserIdHeader = "user-id";
    public const string UserRolesHeader = "user-roles";
    public const string DepartmentHeader = "department-id";

    public static void Before(IDocumentSession session, HttpContext context, ClaimsPrincipal user)
    {
        var correlation = context.Request.Headers[CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 200 } given
            ? given
            : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        session.CorrelationId = correlation;
        session.CausationId ??= context.TraceIdentifier;
        context.Response.Headers[CorrelationHeader] = correlation;

        Stamp(session, user);
    }

    /// <summary>Who: the same metadata for work a request started and that runs after it answered (a job).</summary>
    public static void Stamp(IDocumentSession session, ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return;
        session.LastModifiedBy = user.FindFirstValue(AuthSettings.ClaimUserId);
        session.SetHeader(UserIdHeader, user.FindFirstValue(AuthSettings.ClaimUserId)!);
        session.SetHeader(UserRolesHeader, string.Join(",", user.FindAll(AuthSettings.ClaimRole).Select(c => c.Value)));
        if (user.FindFirstValue(AuthSettings.ClaimDepartment) is { } department) session.SetHeader(DepartmentHeader, department);
    }
}
