namespace Supervision.Api.Directories.Targets;

public static class RegisterTargetEndpoint
{
    public static async Task<Decision> LoadAsync(RegisterTarget command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        Guid? existingId = command.Kind is { } kind && (Target.IsEntity(kind) ? command.CreditCode : command.Code) is { Length: > 0 }
            ? Target.IdFor(Target.IdentifierFor(kind, command.CreditCode, command.Code))
            : null;
        var (refs, keeper, places, existing) = await TargetReferences.LoadForCommandAsync(session, user, command.SupervisingDepartmentIds, command.Tags,
            command.RegionCode, existingId, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, existing, refs, "manual", user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, command.RegionCode ?? ""),
            WriteAccess.KeeperMayNameSupervisors(keeper, existing?.SupervisingDepartmentIds ?? [], command.SupervisingDepartmentIds?.Where(places.ContainsKey)));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Register a target in the directory (检查对象名录库): enterprise, sole trader, cooperative or a non-entity target.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/targets"), Tags("Targets")]
    public static (CreationResponse<Target>, IStartStream) Post(RegisterTarget command, Decision decision)
    {
        var registered = (TargetRegistered)decision.Events[0];
        var view = TargetRules.Evolve(null, registered)! with { Version = 1 };
        return (new CreationResponse<Target>($"/api/targets/{registered.TargetId}", view),
            MartenOps.StartStream<Target>(registered.TargetId, decision.Events.ToArray()));
    }
}

public static class ChangeTargetDetailsEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTargetDetails command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (refs, keeper, places, _) = await TargetReferences.LoadForCommandAsync(session, user, command.SupervisingDepartmentIds, command.Tags,
            command.RegionCode, null, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, target, refs, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, target.RegionCode), WriteAccess.KeeperMayWriteTarget(keeper, command.RegionCode ?? ""),
            WriteAccess.KeeperMayNameSupervisors(keeper, target.SupervisingDepartmentIds, command.SupervisingDepartmentIds?.Where(places.ContainsKey)));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Change a target's details (name, industry, region, address, scale, supervising departments, tags) with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/targets/{targetId}/details"), Tags("Targets")]
    public static (Target, Events) Post(ChangeTargetDetails command, [WriteAggregate] Target target, Decision decision) => After(target, decision);

    internal static (Target, Events) After(Target target, Decision decision) =>
        (decision.Events.Aggregate(target, (s, e) => TargetRules.Evolve(s, e)!) with { Version = target.Version + decision.Events.Count },
            new Events(decision.Events));
}

public static class ChangeTargetStatusEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTargetStatus command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        WriteAccess.Guard(TargetRules.Decide(command, target, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget((await Readers.LoadAsync(user, session, ct)).Reader, target.RegionCode));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Change a target's operating status (e.g. revoked 吊销, deregistered 注销) with the effective date and the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/targets/{targetId}/status"), Tags("Targets")]
    public static (Target, Events) Post(ChangeTargetStatus command, [WriteAggregate] Target target, Decision decision) =>
        ChangeTargetDetailsEndpoint.After(target, decision);
}

public static class SetTargetCreditClassEndpoint
{
    public static async Task<Decision> LoadAsync(SetTargetCreditClass command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (refs, keeper, _, _) = await TargetReferences.LoadForCommandAsync(session, user, null, null, target.RegionCode, null, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, target, refs.Scheme, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, target.RegionCode));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Set a target's credit risk class (企业信用风险分类) under its province's scheme, with the basis.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/targets/{targetId}/credit-class"), Tags("Targets")]
    public static (Target, Events) Post(SetTargetCreditClass command, [WriteAggregate] Target target, Decision decision) =>
        ChangeTargetDetailsEndpoint.After(target, decision);
}

public static class DefineCreditSchemeEndpoint
{
    public static async Task<Decision> LoadAsync(DefineCreditScheme command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var province = command.ProvinceCode is { Length: 6 }
            ? await session.LoadAsync<Supervision.Domain.Organization.Region>(Supervision.Domain.Organization.Region.IdFor(command.ProvinceCode), ct)
            : null;
        return CreditSchemeRules.Decide(command, province, user.As(Roles.SystemAdmin));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Sets (or replaces) a province's credit risk classes; each definition is an event, the latest is in force.</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/credit-schemes"), Tags("Targets")]
    public static async Task<CreditSchemeState> Post(DefineCreditScheme command, Decision decision, IDocumentSession session, CancellationToken ct)
    {
        var defined = (CreditSchemeDefined)decision.Events[0];
        var stream = await session.Events.FetchForWriting<CreditSchemeState>(defined.SchemeId, ct);
        stream.AppendMany(decision.Events);
        return CreditSchemeRules.Evolve(stream.Aggregate, defined)! with { Version = (stream.Aggregate?.Version ?? 0) + 1 };
    }
}

public static class CreditSchemeQueries
{
    /// <summary>List the credit risk classification schemes in force per province.</summary>
    [WolverineGet("/api/credit-schemes"), Tags("Targets")]
    public static Task<IReadOnlyList<CreditSchemeState>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<CreditSchemeState>().OrderBy(s => s.ProvinceCode).ToListAsync(ct);
}
