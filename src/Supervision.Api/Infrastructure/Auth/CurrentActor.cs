namespace Supervision.Api.Infrastructure.Auth;

public static class CurrentActor
{
    /// <summary>The actor recorded on events: the user acting under <paramref name="role"/> (the role the endpoint required).</summary>
    public static Actor As(this ClaimsPrincipal user, string role) => new(
        user.FindFirstValue(AuthSettings.ClaimUserId) ?? throw new InvalidOperationException("An authenticated user has a 'sub' claim."),
        user.FindFirstValue(AuthSettings.ClaimName) ?? user.FindFirstValue(AuthSettings.ClaimUserId)!,
        role,
        Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var department) ? department : null);
}
