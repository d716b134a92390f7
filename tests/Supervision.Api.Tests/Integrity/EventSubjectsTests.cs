using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Supervision.Api.Infrastructure;
using Supervision.Api.Integrity;

namespace Supervision.Api.Tests.Integrity;

/// <summary>
/// The subject index reads ids from the events' own properties; it must find exactly what the earlier extraction found by
/// serialising each event and matching the id pattern (what the SQL backfill still does over the stored JSON).
/// </summary>
public sealed class EventSubjectsTests
{
    /// <summary>The earlier extraction, kept here as the reference.</summary>
    private static Guid[] ByPattern(object data) =>
        Regex.Matches(JsonSerializer.Serialize(data, data.GetType()), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)
            .Select(m => Guid.Parse(m.Value)).Distinct().ToArray();

    /// <summary>
    /// Every record type of the domain and the API (events are records; most are known to Marten only once a projection names
    /// them), beside the event types the modules register explicitly.
    /// </summary>
    public static TheoryData<Type> EventTypes()
    {
        var options = new StoreOptions();
        options.Connection("Host=unused");
        IMartenModule.ConfigureAll(options);
        // Marten keeps its event mappings on the event graph behind options.Events.
        var graph = options.Events;
        var all = (IEnumerable)graph.GetType().GetMethod("AllEvents", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(graph, null)!;
        var types = all.Cast<object>().Select(e => (Type)e.GetType().GetProperty("DocumentType")!.GetValue(e)!)
            .Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        Registered.UnionWith(types);
        types.AddRange(new[] { typeof(Supervision.Domain.Kernel.Actor).Assembly, typeof(EventSubjects).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.GetMethod("<Clone>$") is not null
                        && (t.IsPublic || t.IsNestedPublic) && !types.Contains(t)));
        types.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
        Assert.True(types.Count > 150, $"only {types.Count} record types found");
        var data = new TheoryData<Type>();
        foreach (var t in types) data.Add(t);
        return data;
    }

    private static readonly HashSet<Type> Registered = [];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_type_names_the_same_subjects_as_the_id_pattern_over_its_json(Type eventType)
    {
        // Several samples per type: ids in every id-typed member and inside text; empty collections and nulls; text without ids.
        foreach (var style in Enum.GetValues<SampleStyle>())
        {
            object? sample;
            try
            {
                sample = new SampleBuilder(style, seed: eventType.FullName!.GetHashCode()).Build(eventType);
            }
            catch (TargetInvocationException) when (!Registered.Contains(eventType))
            {
                continue; // a record whose constructor refuses made-up values is not an event
            }
            Assert.NotNull(sample);
            Guid[] expected;
            try
            {
                expected = ByPattern(sample!).Order().ToArray();
            }
            catch (Exception) when (!Registered.Contains(eventType))
            {
                continue; // a read model whose computed members need real data cannot be serialised from made-up values
            }
            var actual = EventSubjects.Of(sample!).Order().ToArray();
            Assert.Equal(expected, actual);
            if (style == SampleStyle.IdsEverywhere && expected.Length > 0) Assert.NotEmpty(actual);
        }
    }

    [Fact]
    public void Ids_inside_text_are_found_as_before()
    {
        var inside = Guid.NewGuid();
        var sample = new Sample(Guid.NewGuid(), $"target_id,name\n{inside},企业\n{Guid.NewGuid().ToString().ToUpperInvariant()},x",
            [Guid.NewGuid()], new Dictionary<Guid, string> { [Guid.NewGuid()] = $"see {Guid.NewGuid()}" }, null, new Nested(Guid.NewGuid(), [new Nested(Guid.NewGuid(), [])]));
        Assert.Contains(inside, EventSubjects.Of(sample));
        Assert.Equal(ByPattern(sample).Order(), EventSubjects.Of(sample).Order());
    }

    private sealed record Nested(Guid Id, IReadOnlyList<Nested> Children);

    private sealed record Sample(Guid Id, string Csv, IReadOnlyList<Guid> Ids, IReadOnlyDictionary<Guid, string> ByKey, Guid? Missing, Nested Tree);

    private enum SampleStyle { IdsEverywhere, IdsInTextOnly, NullsAndEmpties, PlainText }

    /// <summary>Builds an instance of any record by its widest constructor, filling members according to the style.</summary>
    private sealed class SampleBuilder(SampleStyle style, int seed)
    {
        private readonly Random _random = new(seed);
        private int _depth;

        private Guid NextGuid()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes);
        }

        public object? Build(Type type)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying)
                return style == SampleStyle.NullsAndEmpties ? null : Build(underlying);
            if (type == typeof(Guid)) return style == SampleStyle.IdsInTextOnly ? Guid.Empty : NextGuid();
            if (type == typeof(string))
                return style switch
                {
                    SampleStyle.IdsEverywhere or SampleStyle.IdsInTextOnly => $"文本 {NextGuid()} und\n{NextGuid().ToString().ToUpperInvariant()},x",
                    SampleStyle.NullsAndEmpties => "",
                    _ => "河北省邢台市 text-with-dashes 1234-5678",
                };
            if (type == typeof(bool)) return true;
            if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
            if (type.IsPrimitive) return System.Convert.ChangeType(7, type);
            if (type == typeof(decimal)) return 1.5m;
            if (type == typeof(DateTime)) return new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(8));
            if (type == typeof(DateOnly)) return new DateOnly(2026, 3, 4);
            if (type == typeof(TimeOnly)) return new TimeOnly(9, 30);
            if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(90);
            if (type == typeof(byte[])) return new byte[] { 1, 2, 3, 250 };
            if (type == typeof(object)) return style == SampleStyle.NullsAndEmpties ? null : $"obj {NextGuid()}";
            if (type == typeof(JsonElement)) return JsonDocument.Parse($"{{\"x\":\"{NextGuid()}\"}}").RootElement.Clone();
            if (_depth > 4) return type.IsValueType ? Activator.CreateInstance(type) : null;

            _depth++;
            try
            {
                if (type.IsArray)
                {
                    var element = type.GetElementType()!;
                    var array = Array.CreateInstance(element, style == SampleStyle.NullsAndEmpties ? 0 : 2);
                    for (var i = 0; i < array.Length; i++) array.SetValue(Build(element), i);
                    return array;
                }
                if (type.IsGenericType && type.GetInterfaces().Concat([type]).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
                {
                    var args = type.GetGenericArguments();
                    var count = style == SampleStyle.NullsAndEmpties ? 0 : 2;
                    if (args.Length == 2)
                    {
                        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                        for (var i = 0; i < count; i++)
                            if (Build(args[0]) is { } key && !dictionary.Contains(key)) dictionary[key] = Build(args[1]);
                        return ConvertTo(dictionary, type);
                    }
                    var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                    for (var i = 0; i < count; i++) list.Add(Build(args[0]));
                    return ConvertTo(list, type);
                }
                var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
                if (constructor is null) return type.IsValueType ? Activator.CreateInstance(type) : null;
                var instance = constructor.Invoke(constructor.GetParameters().Select(p => Build(p.ParameterType)).ToArray());
                // Settable members the constructor does not take (init-only properties outside the primary constructor).
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }
                             && !constructor.GetParameters().Any(c => string.Equals(c.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
                    property.SetValue(instance, Build(property.PropertyType));
                return instance;
            }
            finally
            {
                _depth--;
            }
        }

        private static object ConvertTo(object collection, Type wanted)
        {
            if (wanted.IsInstanceOfType(collection)) return collection;
            if (collection is IList && wanted.IsInterface)
                return Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(wanted.GetGenericArguments()[0]), collection)!;
            // Immutable or other collection types: through a constructor taking an IEnumerable.
            var constructor = wanted.GetConstructors().FirstOrDefault(c => c.GetParameters() is [var p] && p.ParameterType.IsInstanceOfType(collection))
                ?? throw new InvalidOperationException($"cannot build a {wanted}");
            return constructor.Invoke([collection]);
        }
    }
}
