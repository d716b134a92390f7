namespace Supervision.Api.ApiDocs;

/// <summary>
/// Who may call an endpoint, read from the same endpoint metadata the authorization middleware enforces (<c>[AllowAnonymous]</c>,
/// <c>[Authorize(Roles = …)]</c>, and otherwise the fallback policy: any authenticated caller), so the document cannot drift from it.
/// </summary>
public sealed record EndpointAccess(bool Anonymous, IReadOnlyList<string> Roles)
{
    /// <summary>As <c>authorization-matrix.txt</c> writes it: <c>anonymous</c>, <c>authenticated</c> or the roles, sorted and comma-separated.</summary>
    public string Who => Anonymous ? "anonymous" : Roles.Count == 0 ? "authenticated" : string.Join(',', Roles);

    public static EndpointAccess Of(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        if (items.OfType<IAllowAnonymous>().Any()) return new(true, []);
        // Several [Authorize(Roles)] must all be met (ASP.NET combines them with AND): a caller needs one role of each.
        IEnumerable<string>? roles = null;
        foreach (var authorize in items.OfType<IAuthorizeData>().Where(a => !string.IsNullOrWhiteSpace(a.Roles)))
        {
            var these = authorize.Roles!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            roles = roles is null ? these : roles.Intersect(these);
        }
        return new(false, (roles ?? []).Distinct().Order(StringComparer.Ordinal).ToList());
    }
}
