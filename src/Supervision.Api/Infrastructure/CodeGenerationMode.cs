using JasperFx.CodeGeneration;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// Which Wolverine handler code a node runs. Static loads the code pre-generated into Internal/Generated (bash ops/codegen.sh):
/// the node answers its first request at once. Dynamic and Auto compile handlers with Roslyn at run time, which kept a new node
/// from answering for more than 10 s (issue 17): acceptable while developing, never in production, so production refuses to start
/// with them rather than ship the slow path by accident.
/// </summary>
public static class CodeGenerationMode
{
    public const string Setting = "Supervision:TypeLoadMode";

    public static TypeLoadMode Resolve(IConfiguration configuration, bool production) =>
        Resolve(configuration[Setting] is { Length: > 0 } value ? value : null, production);

    public static TypeLoadMode Resolve(string? configured, bool production)
    {
        if (configured is null) return production ? TypeLoadMode.Static : TypeLoadMode.Dynamic;
        if (!Enum.TryParse<TypeLoadMode>(configured, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
            throw new InvalidOperationException($"{Setting} is '{configured}'; use Static, Dynamic or Auto.");
        if (production && mode != TypeLoadMode.Static)
            throw new InvalidOperationException(
                $"{Setting} is '{configured}' in Production. Production runs only the pre-generated code (Static): runtime code generation " +
                "delays a new node's first answers by more than 10 s. Remove the setting (or set Static) and deploy a build whose " +
                "Internal/Generated is current (bash ops/codegen.sh).");
        return mode;
    }
}
