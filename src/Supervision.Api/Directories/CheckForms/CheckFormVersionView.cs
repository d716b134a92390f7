namespace Supervision.Api.Directories.CheckForms;

/// <summary>One pinned version of a form, as a task that recorded <c>(formId, version)</c> reads it.</summary>
public sealed record CheckFormVersionView(Guid FormId, string Code, string Name, CheckFormKind Kind, Guid MatterId, CheckFormVersion Definition, bool IsLatest, bool Retired);
