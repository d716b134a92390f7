namespace Supervision.Api.Infrastructure;

/// <summary>A page of a listing, with the event sequence it reflects, so a caller can ask "as of" the same moment later.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, long AsOfSequence);
