using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Settings;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Foundation;

/// <summary>The real host booted with one bad setting.</summary>
public sealed class HostWithSetting(string key, string value) : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new(key, value)];
}

/// <summary>Every knob is a typed setting, bound once and checked at start-up (issue 18).</summary>
public sealed class SettingsTests
{
    private static SupervisionSettings Read(params (string Key, string Value)[] values) =>
        SupervisionSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void Nothing_configured_gives_the_defaults_the_README_names()
    {
        var settings = Read();
        Assert.Equal("supervision", settings.Schema);
        Assert.Equal("bulk", settings.TargetImportWrites);
        Assert.Equal(2L << 30, settings.ImportMaxBytes);
        Assert.False(settings.ImportForeignKeyChecksAlways);
        Assert.Equal("public", settings.ApiDocs);
        Assert.Equal("off", SupervisionSettings.From(new ConfigurationBuilder().Build(), production: true).ApiDocs);
        Assert.Equal(DeadlineTrigger.InspectionEnded, settings.ResultDeadlineTrigger);
        Assert.Equal(120, settings.PublicRequestsPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Jobs.Heartbeat);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Jobs.StaleAfter);
        Assert.Equal((60, 5), (settings.Sealing.GapSeconds, settings.Sealing.LagSeconds));
        Assert.Equal(TimeSpan.FromMinutes(60), settings.PeriodicJobs.Sealing);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.PeriodicJobs.DashboardCompaction);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.PeriodicJobs.RateWindowCleanup);
        Assert.Equal((64L << 20, 8 << 20, 1L << 30), (settings.Draws.TargetsInlineBytes, settings.Draws.TargetsChunkBytes, settings.Draws.VerifyMaxBytes));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Cluster.LeaderPoll);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.Cluster.StaleNodeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.ReadReplica.MaxLag);
        Assert.Equal(10, settings.Auth.KeyRefreshMinutes);
        Assert.True(settings.Auth.RequireHttpsMetadata);
    }

    [Fact]
    public void Configured_values_are_read_into_their_types()
    {
        var settings = Read(("Supervision:SealIntervalMinutes", "0.005"), ("Supervision:ResultDeadlineTrigger", nameof(DeadlineTrigger.InspectionEnded)),
            ("Supervision:Cluster:LeaderPollMilliseconds", "500"), ("Auth:RequireHttpsMetadata", "false"), ("Supervision:ImportForeignKeyChecks", "always"));
        Assert.Equal(TimeSpan.FromMinutes(0.005), settings.PeriodicJobs.Sealing);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Cluster.LeaderPoll);
        Assert.False(settings.Auth.RequireHttpsMetadata);
        Assert.True(settings.ImportForeignKeyChecksAlways);
    }

    /// <summary>One bad value of each kind: the message names the key, the value and the rule, and nothing falls back to the default.</summary>
    [Theory]
    [InlineData("Supervision:SealGapSeconds", "-1", "whole number from 0 to")]
    [InlineData("Supervision:PublicRequestsPerMinute", "lots", "whole number from 1 to")]
    [InlineData("Supervision:Draws:TargetsChunkBytes", "99999999999", "whole number from 1 to")]
    [InlineData("Supervision:JobHeartbeatSeconds", "0", "number above 0")]
    [InlineData("Supervision:SealIntervalMinutes", "hourly", "number, 0 or more")]
    [InlineData("Supervision:ReplicaMaxLagMilliseconds", "NaN", "number, 0 or more")]
    [InlineData("Supervision:ApiDocs", "everyone", "one of public, authenticated, off")]
    [InlineData("Supervision:TargetImportWrites", "fast", "one of bulk, row-by-row")]
    [InlineData("Supervision:ResultDeadlineTrigger", "Whenever", "one of")]
    [InlineData("Auth:RequireHttpsMetadata", "maybe", "true or false")]
    [InlineData("Supervision:Cluster:StaleNodeTimeoutMilliseconds", "1500", "at least twice Supervision:Cluster:HealthCheckPollingMilliseconds")]
    public void A_bad_value_is_refused_naming_key_value_and_rule(string key, string value, string rule)
    {
        var refused = Assert.Throws<InvalidSettingException>(() => Read((key, value)));
        Assert.Equal(key, refused.Key);
        Assert.Contains($"'{value}'", refused.Message);
        Assert.Contains(rule, refused.Message);
    }

    [Fact]
    public void A_seal_key_of_the_wrong_length_is_refused_without_echoing_it()
    {
        var wrong = Convert.ToBase64String(new byte[16]);
        var refused = Assert.Throws<InvalidSettingException>(() => Read(("Supervision:DrawSealKey", wrong)));
        Assert.Contains("Supervision:DrawSealKey", refused.Message);
        Assert.Contains("exactly 32 bytes", refused.Message);
        Assert.DoesNotContain(wrong, refused.Message);
    }

    /// <summary>Through the real host builder: the host does not start, and says which setting and why.</summary>
    [Theory]
    [InlineData("Supervision:SealLagSeconds", "soon")]
    [InlineData("Supervision:Telemetry", "sometimes")]
    [InlineData("Auth:KeyRefreshMinutes", "-5")]
    public async Task A_host_with_a_bad_setting_does_not_start(string key, string value)
    {
        await using var app = new HostWithSetting(key, value);
        var refused = Assert.ThrowsAny<Exception>(() => app.Server);
        var message = refused.GetBaseException().Message + refused.Message;
        Assert.Contains($"Setting {key} is '{value}'", message);
    }
}

/// <summary>
/// Every <c>Supervision:</c> or <c>Auth:</c> key named anywhere in <c>src/</c> is a typed setting (read by <see cref="SupervisionSettings.From(IConfiguration, bool)"/>),
/// and every typed setting has its row in the README's settings table.
/// </summary>
public sealed partial class SettingsCoverageTests
{
    [GeneratedRegex(@"""((?:Supervision|Auth):[A-Za-z]+(?::[A-Za-z]+)*)""")]
    private static partial Regex KeyLiteral();

    /// <summary>The keys a source text names that are not typed settings.</summary>
    public static IEnumerable<string> UntypedKeys(string source, IReadOnlyCollection<string> typed) =>
        KeyLiteral().Matches(source).Select(m => m.Groups[1].Value).Where(key => !typed.Contains(key, StringComparer.OrdinalIgnoreCase)).Distinct();

    /// <summary>The typed settings the table does not name (as <c>Supervision__A__B</c> or <c>Supervision:A:B</c>).</summary>
    public static IEnumerable<string> Unlisted(string table, IEnumerable<string> typed) =>
        typed.Where(key => !table.Contains(key.Replace(":", "__"), StringComparison.Ordinal) && !table.Contains(key, StringComparison.Ordinal));

    private static string SettingsTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("\n## Settings", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..end];
    }

    [Fact]
    public void Every_key_read_in_src_is_a_typed_setting()
    {
        var typed = SupervisionSettings.Keys();
        var untyped = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("Internal/Generated", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .SelectMany(path => UntypedKeys(File.ReadAllText(path), typed).Select(key => $"{key} ({Path.GetRelativePath(RepositoryPaths.Root, path)})"))
            .ToList();
        Assert.Empty(untyped);
    }

    [Fact]
    public void Every_typed_setting_has_a_row_in_the_README() => Assert.Empty(Unlisted(SettingsTable(), SupervisionSettings.Keys()));

    [Fact]
    public void A_key_read_inline_or_left_out_of_the_table_is_found()
    {
        var typed = SupervisionSettings.Keys();
        Assert.Equal(["Supervision:Made:Up"], UntypedKeys("""var x = configuration["Supervision:Made:Up"] ?? configuration["Supervision:Schema"];""", typed));
        Assert.Equal(["Supervision:SealLagSeconds"], Unlisted("| schema | `Supervision__Schema` |", ["Supervision:Schema", "Supervision:SealLagSeconds"]));
    }
}
