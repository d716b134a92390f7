namespace Supervision.Api.Infrastructure.Http;

/// <summary>A POST that changes nothing (e.g. verifying a record): no Idempotency-Key claim is written for it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyCommandAttribute : Attribute;
