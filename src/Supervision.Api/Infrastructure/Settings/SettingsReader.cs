namespace Supervision.Api.Infrastructure.Settings;

/// <summary>A setting whose value does not parse or breaks its rule: the host does not start, and the message names the key, the value and the rule.</summary>
public sealed class InvalidSettingException(string key, string value, string rule)
    : InvalidOperationException($"Setting {key} is '{value}': {rule}")
{
    public string Key { get; } = key;
}

/// <summary>
/// Reads each setting once, by its full key, into a typed value with its default and its rule; a value that is set but does not
/// parse or breaks the rule throws <see cref="InvalidSettingException"/> instead of falling back to the default. Every key asked
/// for is recorded in <see cref="Keys"/>, which is how the standing test knows the whole list of settings.
/// </summary>
public sealed class SettingsReader(IConfiguration configuration)
{
    private readonly List<string> keys = [];

    public IReadOnlyList<string> Keys => keys;

    public IConfiguration Configuration => configuration;

    /// <summary>The raw value, null when unset or empty.</summary>
    public string? Text(string key)
    {
        keys.Add(key);
        return configuration[key] is { Length: > 0 } value ? value : null;
    }

    public string Text(string key, string fallback) => Text(key) ?? fallback;

    /// <summary>One of the listed words (exactly as written), or the fallback when unset.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        var value = Text(key);
        if (value is null) return fallback;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new InvalidSettingException(key, value, $"it must be one of {string.Join(", ", allowed)}.");
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>, or the fallback when unset.</summary>
    public long Whole(string key, long fallback, long minimum, long maximum = long.MaxValue)
    {
        var value = Text(key);
        if (value is null) return fallback;
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < minimum || number > maximum)
            throw new InvalidSettingException(key, value, maximum == long.MaxValue
                ? $"it must be a whole number of at least {minimum}."
                : $"it must be a whole number from {minimum} to {maximum}.");
        return number;
    }

    public int WholeInt(string key, int fallback, int minimum) => (int)Whole(key, fallback, minimum, int.MaxValue);

    /// <summary>A number (fractions allowed) above zero, or zero too when <paramref name="zeroAllowed"/>; the fallback when unset.</summary>
    public double Number(string key, double fallback, bool zeroAllowed)
    {
        var value = Text(key);
        if (value is null) return fallback;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number)
            || number < 0 || (number == 0 && !zeroAllowed))
            throw new InvalidSettingException(key, value, zeroAllowed ? "it must be a number, 0 or more." : "it must be a number above 0.");
        return number;
    }

    public TimeSpan Milliseconds(string key, TimeSpan fallback, bool zeroAllowed = false) =>
        TimeSpan.FromMilliseconds(Number(key, fallback.TotalMilliseconds, zeroAllowed));

    public TimeSpan Seconds(string key, TimeSpan fallback, bool zeroAllowed = false) =>
        TimeSpan.FromSeconds(Number(key, fallback.TotalSeconds, zeroAllowed));

    /// <summary>Minutes, fractions allowed; 0 turns the work off (<see cref="TimeSpan.Zero"/>).</summary>
    public TimeSpan Minutes(string key, double fallback) => TimeSpan.FromMinutes(Number(key, fallback, zeroAllowed: true));

    /// <summary><c>true</c> or <c>false</c>, or the fallback when unset.</summary>
    public bool Flag(string key, bool fallback)
    {
        var value = Text(key);
        if (value is null) return fallback;
        return bool.TryParse(value, out var flag) ? flag : throw new InvalidSettingException(key, value, "it must be true or false.");
    }

    /// <summary>A member of the enum by its name, or the fallback when unset.</summary>
    public TEnum Named<TEnum>(string key, TEnum fallback) where TEnum : struct, Enum
    {
        var value = Text(key);
        if (value is null) return fallback;
        return Enum.GetNames<TEnum>().Contains(value, StringComparer.Ordinal)
            ? Enum.Parse<TEnum>(value)
            : throw new InvalidSettingException(key, value, $"it must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    /// <summary>Base64 of exactly <paramref name="bytes"/> bytes, or null when unset.</summary>
    public string? Base64Key(string key, int bytes)
    {
        var value = Text(key);
        if (value is null) return null;
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length == bytes
            ? value
            : throw new InvalidSettingException(key, "(hidden)", $"it must be base64 of exactly {bytes} bytes.");
    }
}
