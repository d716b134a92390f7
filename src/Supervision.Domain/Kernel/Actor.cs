namespace Supervision.Domain.Kernel;

/// <summary>
/// Who did something: the user, the role under which they acted, and their department.
/// Every event carries one, so a discipline inspector can answer "who did this" from the event alone
/// (全程留痕、责任可溯: the whole process leaves a trail, responsibility can be traced).
/// </summary>
public sealed record Actor(string UserId, string DisplayName, string Role, Guid? DepartmentId);
