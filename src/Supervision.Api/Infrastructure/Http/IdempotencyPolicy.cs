using JasperFx;
using JasperFx.CodeGeneration;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// Every state-changing endpoint honours an <c>Idempotency-Key</c> header: a retry with the same key and the same
/// request bytes is answered with the first response and writes nothing; the same key with a different request is
/// refused with 422. The key is scoped to the user and the endpoint, and its claim is written inside the command's
/// own Marten transaction, so a crash or a database restart can never leave a committed command without its claim
/// (measured here: such a crash can commit a command whose client never saw the answer; the client's retry is then safe).
/// </summary>
public sealed class IdempotencyPolicy : IHttpPolicy
{
    public const string HeaderName = "Idempotency-Key";

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(IsStateChanging))
        {
            chain.DeduplicatedWithResponse ??= new DeduplicatedWithResponseRequirement
            {
                Scope = DeduplicationScope.User | DeduplicationScope.Endpoint,
                Key = HeaderName,
                Required = false,
                ClaimInTransaction = true,
            };
        }
    }

    public static bool IsStateChanging(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.Method.Method.GetCustomAttributes(typeof(ReadOnlyCommandAttribute), inherit: false).Length == 0;
}
