using System.Reflection;
using System.Reflection.Emit;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Aggregation;
using Supervision.Api.Infrastructure;
using Xunit.Abstractions;

namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// Each inline projection declares the event types it folds (<c>IncludeType</c>), so that appending an event loads only the
/// documents of the projections that fold it (without a declaration Marten loads every projection's document on every
/// append). A declaration that drifts from the fold is a silent read-model bug: a type the evolve handles but the projection
/// does not declare is never applied. These tests read the event types the evolve actually tests for (the <c>isinst</c>
/// instructions of its switch, in the projection's Evolve and the domain function it delegates to) and hold the declaration to them.
/// </summary>
public sealed class ProjectionEventTypesTests(ITestOutputHelper output)
{
    public static TheoryData<string> SingleStreamProjections()
    {
        var data = new TheoryData<string>();
        foreach (var type in ReadModelRebuild.Projections.Where(IsSingleStream)) data.Add(type.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(SingleStreamProjections))]
    public void A_projection_declares_exactly_the_event_types_its_evolve_handles(string name)
    {
        var type = ReadModelRebuild.Projections.Single(t => t.Name == name);
        var projection = (EventFilterable)Activator.CreateInstance(type)!;
        var declared = projection.IncludedEventTypes.Where(IsOurs).ToHashSet();
        var handled = EvolvedEventTypes(type);

        output.WriteLine($"{name}: {string.Join(", ", handled.Select(t => t.Name).Order())}");
        Assert.NotEmpty(handled);
        Assert.True(declared.SetEquals(handled),
            $"{name} folds [{string.Join(", ", handled.Except(declared).Select(t => t.Name))}] without declaring them, "
            + $"and declares [{string.Join(", ", declared.Except(handled).Select(t => t.Name))}] that it does not fold.");
    }

    /// <summary>The attack: a declaration missing one handled type is caught (the check is not vacuous).</summary>
    [Fact]
    public void A_declaration_missing_a_handled_type_is_caught()
    {
        var handled = EvolvedEventTypes(typeof(Supervision.Api.Plans.PlanProjection));
        Assert.Contains(typeof(Supervision.Domain.Plans.PlanFiled), handled);
        Assert.Contains(typeof(Supervision.Domain.Plans.SamplingTaskDrawn), handled);
        var declared = new Supervision.Api.Plans.PlanProjection().IncludedEventTypes.Where(IsOurs).ToHashSet();
        declared.Remove(typeof(Supervision.Domain.Plans.PlanFiled));
        Assert.False(declared.SetEquals(handled));
    }

    public static TheoryData<string> AllProjections()
    {
        var data = new TheoryData<string>();
        foreach (var type in ReadModelRebuild.Projections) data.Add(type.Name);
        return data;
    }

    /// <summary>
    /// The one-pass rebuild reads an event's correlation, causation, headers and user name only for a projection that says it reads
    /// them (<see cref="Supervision.Api.Infrastructure.Rebuild.IReadsEventMetadata"/>, issue 14): one that reads them without saying
    /// so would be rebuilt from nulls. The IL of the projection (and of its lambdas) says whether it reads them.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProjections))]
    public void A_projection_that_reads_event_metadata_says_so_to_the_rebuild(string name)
    {
        var type = ReadModelRebuild.Projections.Single(t => t.Name == name);
        if (ReadsEventMetadata(type))
            Assert.True(typeof(Supervision.Api.Infrastructure.Rebuild.IReadsEventMetadata).IsAssignableFrom(type),
                $"{name} reads an event's correlation, causation, headers or user name: it must implement IReadsEventMetadata.");
    }

    /// <summary>The attack: a projection reading an event's headers (here a stand-in with an Evolve that does) is caught.</summary>
    [Fact]
    public void A_projection_reading_headers_is_caught()
    {
        Assert.True(ReadsEventMetadata(typeof(ReadsHeadersStandIn)));
        Assert.False(ReadsEventMetadata(typeof(Supervision.Api.Plans.PlanProjection)));
    }

    private sealed class ReadsHeadersStandIn
    {
        public string? Evolve(string? snapshot, Guid id, IEvent e) => e.Headers?.TryGetValue("why", out var why) == true ? why?.ToString() : snapshot;
    }

    private static readonly HashSet<string> MetadataGetters =
        [$"get_{nameof(IEvent.Headers)}", $"get_{nameof(IEvent.CorrelationId)}", $"get_{nameof(IEvent.CausationId)}", $"get_{nameof(IEvent.UserName)}"];

    /// <summary>Whether any method of the type or of its nested types (lambdas' closures) calls an event's metadata getters.</summary>
    public static bool ReadsEventMetadata(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var owner in new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)))
            foreach (var method in owner.GetMethods(all))
                foreach (var (op, token) in Instructions(method))
                {
                    if (op != OpCodes.Call && op != OpCodes.Callvirt) continue;
                    MethodBase? callee;
                    try { callee = method.Module.ResolveMethod(token, owner.IsGenericType ? owner.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null); }
                    catch (ArgumentException) { continue; }
                    if (callee is not null && MetadataGetters.Contains(callee.Name) && typeof(IEvent).IsAssignableFrom(callee.DeclaringType)) return true;
                }
        return false;
    }

    private static bool IsSingleStream(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>)) return true;
        return false;
    }

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("Supervision.", StringComparison.Ordinal) == true;

    /// <summary>
    /// The types the projection's <c>Evolve</c> tests the event against, directly or in the static function of ours it hands
    /// the event to (the domain's <c>XRules.Evolve(state, object @event)</c>); the snapshot type itself is not an event.
    /// </summary>
    public static HashSet<Type> EvolvedEventTypes(Type projection)
    {
        var evolve = projection.GetMethod("Evolve", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                     ?? throw new InvalidOperationException($"{projection.Name} has no Evolve of its own");
        var snapshot = evolve.ReturnType;
        var found = new HashSet<Type>();
        foreach (var (op, operand) in Instructions(evolve))
        {
            if (op == OpCodes.Isinst || op == OpCodes.Unbox_Any)
                found.Add(evolve.Module.ResolveType(operand));
            else if (op == OpCodes.Call || op == OpCodes.Callvirt)
            {
                var callee = evolve.Module.ResolveMethod(operand);
                if (callee is MethodInfo { IsStatic: true } m && IsOurs(m.DeclaringType!) && m.GetParameters().Any(p => p.ParameterType == typeof(object)))
                    foreach (var (innerOp, innerOperand) in Instructions(m))
                        if (innerOp == OpCodes.Isinst) found.Add(m.Module.ResolveType(innerOperand));
            }
        }
        return found.Where(t => IsOurs(t) && !t.IsAssignableFrom(snapshot) && !snapshot.IsAssignableFrom(t)).ToHashSet();
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Decodes a method body into (opcode, token) pairs; the token is 0 for instructions without a metadata operand.</summary>
    private static IEnumerable<(OpCode Op, int Token)> Instructions(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[at++]));
            var op = OpCodesByValue[value];
            var token = 0;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: at += 1; break;
                case OperandType.InlineVar: at += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: at += 8; break;
                case OperandType.InlineSwitch: at += 4 + 4 * BitConverter.ToInt32(il, at); break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType or OperandType.InlineSig or OperandType.InlineString:
                    token = BitConverter.ToInt32(il, at); at += 4; break;
                default: at += 4; break;
            }
            yield return (op, token);
        }
    }
}
