using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Supervision.Api.Infrastructure.Cluster;

public static class SharedRateLimit
{
    /// <summary>Registers the public policy (<see cref="Public.PublicPages.RateLimitPolicy"/>) on the shared count.</summary>
    public static IServiceCollection AddSharedPublicRateLimit(this IServiceCollection services, int perMinute)
    {
        services.AddSingleton<PublicRateWindows>();
        services.AddHostedService<PublicRateWindowCleanup>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A refused caller learns when to come back: the seconds left in its window.
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter =
                    (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60)
                    .ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(Public.PublicPages.RateLimitPolicy, context =>
            {
                var windows = context.RequestServices.GetRequiredService<PublicRateWindows>();
                return RateLimitPartition.Get(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    client => new SharedWindowRateLimiter(client, perMinute, windows));
            });
        });
        return services;
    }
}
