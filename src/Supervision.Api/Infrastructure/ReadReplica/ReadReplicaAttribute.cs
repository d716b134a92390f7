using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Attributes;
using Wolverine.Configuration;

namespace Supervision.Api.Infrastructure.ReadReplica;

/// <summary>
/// On an endpoint's <c>IQuerySession</c> (or <c>NpgsqlConnection</c>) parameter: the session reads from the hot-standby replica while it is fresh, else from the
/// primary, and the response says which (<see cref="ReplicaReads"/>). Only for reads that may be a moment behind the latest write:
/// public pages and API, dashboards, reports; never for a read that decides a command.
/// </summary>
/// <remarks>
/// The endpoint's body is untouched: Wolverine's generated code opens the session through <see cref="ReplicaReads.OpenAsync"/>
/// (and disposes it) where it would otherwise open <c>store.QuerySession()</c>.
/// </remarks>
public sealed class ReadReplicaAttribute : WolverineParameterAttribute
{
    public override Variable Modify(IChain chain, ParameterInfo parameter, IServiceContainer container, GenerationRules rules)
    {
        // An NpgsqlConnection parameter gets a plain open connection (reads that need no Marten session), an IQuerySession a session.
        var open = new MethodCall(typeof(ReplicaReads), parameter.ParameterType == typeof(Npgsql.NpgsqlConnection)
            ? nameof(ReplicaReads.OpenConnectionAsync) : nameof(ReplicaReads.OpenAsync));
        chain.Middleware.Add(open);
        return open.ReturnVariable!;
    }
}
