namespace Supervision.Api.Infrastructure.Settings;

/// <summary>The background jobs of <c>/api/jobs</c> (see Jobs/JobRunner.cs).</summary>
public sealed record JobSettings
{
    /// <summary><c>Supervision:JobHeartbeatSeconds</c>: how often a running job beats its heart.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Supervision:JobStaleSeconds</c>: a job whose heart has not beaten for this long failed with its node.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    internal static JobSettings From(SettingsReader read) => new()
    {
        Heartbeat = read.Seconds("Supervision:JobHeartbeatSeconds", TimeSpan.FromSeconds(5)),
        StaleAfter = read.Seconds("Supervision:JobStaleSeconds", TimeSpan.FromSeconds(60)),
    };
}

/// <summary>The event chain's seals (see Integrity/EventChain.cs).</summary>
public sealed record SealSettings
{
    /// <summary><c>Supervision:SealGapSeconds</c>: how long a gap in the sequence may stay open before the seal passes it.</summary>
    public int GapSeconds { get; init; } = 60;

    /// <summary><c>Supervision:SealLagSeconds</c>: events younger than this wait for the next seal.</summary>
    public int LagSeconds { get; init; } = 5;

    internal static SealSettings From(SettingsReader read) => new()
    {
        GapSeconds = read.WholeInt("Supervision:SealGapSeconds", 60, minimum: 0),
        LagSeconds = read.WholeInt("Supervision:SealLagSeconds", 5, minimum: 0),
    };
}

/// <summary>How often each periodic job runs on the cluster's leader (see PeriodicJob); <see cref="TimeSpan.Zero"/> turns it off.</summary>
public sealed record PeriodicJobSettings
{
    /// <summary><c>Supervision:SealIntervalMinutes</c>.</summary>
    public TimeSpan Sealing { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary><c>Supervision:DashboardCompactionIntervalMinutes</c>.</summary>
    public TimeSpan DashboardCompaction { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Supervision:ReportReminderIntervalMinutes</c>.</summary>
    public TimeSpan ReportReminders { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary><c>Supervision:ProgressReportReminderIntervalMinutes</c>.</summary>
    public TimeSpan ProgressReportReminders { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary><c>Supervision:RateWindowCleanupIntervalMinutes</c>.</summary>
    public TimeSpan RateWindowCleanup { get; init; } = TimeSpan.FromMinutes(10);

    internal static PeriodicJobSettings From(SettingsReader read) => new()
    {
        Sealing = read.Minutes("Supervision:SealIntervalMinutes", 60),
        DashboardCompaction = read.Minutes("Supervision:DashboardCompactionIntervalMinutes", 1),
        ReportReminders = read.Minutes("Supervision:ReportReminderIntervalMinutes", 60),
        ProgressReportReminders = read.Minutes("Supervision:ProgressReportReminderIntervalMinutes", 60),
        RateWindowCleanup = read.Minutes("Supervision:RateWindowCleanupIntervalMinutes", 10),
    };
}

/// <summary>Draw keys and large draw pools (see Draws/DrawSecrets.cs and Draws/DrawTargetsStore.cs).</summary>
public sealed record DrawSettings
{
    /// <summary><c>Supervision:DrawSealKey</c>: base64 of 32 bytes; null leaves DrawSecrets to make a local key (never in Production).</summary>
    public string? SealKey { get; init; }

    /// <summary><c>Supervision:Draws:TargetsInlineBytes</c>: above it a draw's targets file is stored in chunks.</summary>
    public long TargetsInlineBytes { get; init; } = 64L << 20;

    /// <summary><c>Supervision:Draws:TargetsChunkBytes</c>.</summary>
    public int TargetsChunkBytes { get; init; } = 8 << 20;

    /// <summary><c>Supervision:Draws:VerifyMaxBytes</c>: the largest body the draw verification accepts.</summary>
    public long VerifyMaxBytes { get; init; } = 1L << 30;

    internal static DrawSettings From(SettingsReader read) => new()
    {
        SealKey = read.Base64Key("Supervision:DrawSealKey", 32),
        TargetsInlineBytes = read.Whole("Supervision:Draws:TargetsInlineBytes", 64L << 20, minimum: 0),
        TargetsChunkBytes = read.WholeInt("Supervision:Draws:TargetsChunkBytes", 8 << 20, minimum: 1),
        VerifyMaxBytes = read.Whole("Supervision:Draws:VerifyMaxBytes", 1L << 30, minimum: 1),
    };
}
