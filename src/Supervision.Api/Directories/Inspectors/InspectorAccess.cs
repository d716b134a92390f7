namespace Supervision.Api.Directories.Inspectors;

/// <summary>What the day is for the directories: the domain never reads a clock, the endpoints pass the day in.</summary>
public static class InspectorAccess
{
    /// <summary>China Standard Time (UTC+8, no daylight saving): the calendar the departments work by.</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Today in China.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);
}
