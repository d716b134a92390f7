using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// The two steps every command endpoint shares, written once instead of in each endpoint (issue 18).
/// <list type="number">
/// <item><b>Decide.</b> An endpoint whose <c>Post</c> takes a <see cref="Decision"/> and declares no <c>Load</c> is decided by the
/// domain's one public static <c>Decide(command, state, Actor)</c> for its request type and its <c>[WriteAggregate]</c> state,
/// with the caller acting under the endpoint's single <see cref="AuthorizeAttribute"/> role. A <c>Load</c> is written only where
/// the decision needs more (a lookup, the clock, a route value). No match, two matches or not exactly one role stops the
/// host at start-up with the endpoint named.</item>
/// <item><b>Refuse.</b> Wherever a <see cref="Decision"/> is made before <c>Post</c>, a refused one is answered with its problem
/// document (<see cref="ProblemResponses.ToProblem"/>) and <c>Post</c> never runs. An endpoint whose Load returns a context
/// record (the decision with what was read) declares a <c>Validate</c> on that record itself.</item>
/// </list>
/// </summary>
public sealed class DecisionPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            AddDomainDecision(chain);
            AddRefusal(chain);
        }
    }

    private static void AddDomainDecision(HttpChain chain)
    {
        var post = chain.Method.Method;
        if (post.GetParameters().All(p => p.ParameterType != typeof(Decision))) return;
        if (chain.Middleware.OfType<MethodCall>().Any(call => call.Creates.Any(v => v.VariableType == typeof(Decision)))) return;

        var endpoint = $"{post.DeclaringType!.Name}.{post.Name}";
        var command = post.GetParameters()[0].ParameterType;
        var state = post.GetParameters().SingleOrDefault(p => p.GetCustomAttribute<WriteAggregateAttribute>() is not null)?.ParameterType
            ?? throw new InvalidOperationException($"{endpoint} takes a Decision but has neither a Load nor a [WriteAggregate] state to decide on.");
        var decide = DecideFor(command, state, endpoint);

        var actor = new MethodCall(typeof(CurrentActor), nameof(CurrentActor.As));
        actor.Arguments[1] = Constant.ForString(ActingRole(post));
        chain.Middleware.Add(actor);
        chain.Middleware.Add(new MethodCall(decide.DeclaringType!, decide));
    }

    /// <summary>The domain's decide for this command on this state; the domain project holds every one (and nothing else).</summary>
    public static MethodInfo DecideFor(Type command, Type state, string endpoint)
    {
        var candidates = typeof(Decision).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name == "Decide" && m.ReturnType == typeof(Decision)
                && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([command, state, typeof(Actor)]))
            .ToArray();
        return candidates.Length == 1
            ? candidates[0]
            : throw new InvalidOperationException(
                $"{endpoint} has no Load, so it needs exactly one Decide({command.Name}, {state.Name}, Actor) in the domain; found {candidates.Length}.");
    }

    /// <summary>The role an endpoint without a Load acts under: its one <see cref="AuthorizeAttribute"/> role.</summary>
    public static string ActingRole(MethodInfo post)
    {
        var endpoint = $"{post.DeclaringType!.Name}.{post.Name}";
        var roles = post.GetCustomAttributes<AuthorizeAttribute>().Concat(post.DeclaringType!.GetCustomAttributes<AuthorizeAttribute>())
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct().ToArray();
        return roles.Length == 1
            ? roles[0]
            : throw new InvalidOperationException($"{endpoint} has no Load, so the actor's role is the endpoint's one role; it has {roles.Length}.");
    }

    private static void AddRefusal(HttpChain chain)
    {
        foreach (var load in chain.Middleware.OfType<MethodCall>().ToArray())
        {
            if (load.Creates.FirstOrDefault(v => v.VariableType == typeof(Decision)) is not { } decision) continue;
            var toProblem = new MethodCall(typeof(ProblemResponses), nameof(ProblemResponses.ToProblem));
            toProblem.Arguments[0] = decision;
            var problem = toProblem.ReturnVariable!;
            problem.Properties["checked"] = true; // Wolverine's own continuation step would otherwise be added a second time
            var index = chain.Middleware.IndexOf(load);
            chain.Middleware.Insert(index + 1, toProblem);
            chain.Middleware.Insert(index + 2, new EndWithProblemFrame(problem));
        }
    }

    /// <summary>Stops the request with the problem unless it is <see cref="WolverineContinue.NoProblems"/> (Wolverine's own check, which is internal).</summary>
    private sealed class EndWithProblemFrame(Variable problem) : AsyncFrame
    {
        private Variable? _httpContext;

        public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
        {
            yield return problem;
            _httpContext = chain.FindVariable(typeof(HttpContext));
            yield return _httpContext;
        }

        public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
        {
            writer.WriteComment("A refused decision is answered with its problem document");
            writer.Write($"BLOCK:if (!(ReferenceEquals({problem.Usage}, {typeof(WolverineContinue).FullNameInCode()}.{nameof(WolverineContinue.NoProblems)})))");
            writer.Write($"await {nameof(HttpHandler.WriteProblems)}({problem.Usage}, {_httpContext!.Usage}).ConfigureAwait(false);");
            writer.Write("return;");
            writer.FinishBlock();
            writer.BlankLine();
            Next?.GenerateCode(method, writer);
        }
    }
}
