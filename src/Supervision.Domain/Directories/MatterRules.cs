namespace Supervision.Domain.Directories;

public static class MatterRules
{
    public const int MaxCodeLength = 40;
    public const int MaxNameLength = 200;
    public const int MaxLegalBasisLength = 4000;
    public const int MaxContentLength = 8000;
    public const int MaxReasonLength = 1000;

    /// <summary>Every event of a matter stream, for folds over history (as-of queries).</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
        [typeof(MatterDefined), typeof(MatterRevised), typeof(MatterWithdrawn), typeof(MatterClaimed), typeof(MatterClaimReleased)];

    public static bool IsValidCode(string? code) =>
        code is { Length: >= 2 and <= MaxCodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The highest sampling ratio (percent) a plan task may use for this matter version: null for a key matter, which
    /// has no cap ("重点检查事项…抽查比例不设上限"), and the cap for a general one ("一般检查事项…抽查比例应根据监管实际情况设置上限",
    /// 西双随机办字〔2022〕5号 二（二）).
    /// </summary>
    public static decimal? MaxRatioFor(MatterVersion matter) => matter.Category == MatterCategory.Key ? null : matter.RatioCapPercent;

    /// <summary>
    /// Checks a sampling ratio (percent) against a matter version: it must lie in (0, 100] and, for a general matter,
    /// not exceed the cap (rule <c>matter.ratio.over-cap</c>). For plan tasks and for a matter's own default ratio.
    /// </summary>
    public static DomainError? CheckRatio(MatterVersion matter, decimal ratioPercent, string field = "ratioPercent")
    {
        if (ratioPercent <= 0m || ratioPercent > 100m)
            return DomainError.Invalid(field, "matter.ratio.range", $"'{field}' is a percentage above 0 and at most 100.");
        if (MaxRatioFor(matter) is { } cap && ratioPercent > cap)
            return DomainError.Invalid(field, "matter.ratio.over-cap",
                $"Matter '{matter.Name}' (version {matter.Number}) is a general matter (一般检查事项) capped at {cap}%; {ratioPercent}% is over the cap.");
        return null;
    }

    /// <summary>True when the actor works for <paramref name="departmentId"/>: only that department's keepers act for it.</summary>
    public static bool ActsFor(Actor by, Guid departmentId) => by.DepartmentId == departmentId;

    /// <summary>
    /// Refuses (403) an actor who does not work for the department the command acts for, before the command itself is looked at;
    /// no department named: the command's own checks say so.
    /// "谁审批、谁监管，谁主管、谁监管": a department keeps its own list.
    /// </summary>
    public static DomainError? CheckActsFor(Actor by, Guid? departmentId, string field) =>
        departmentId is not { } id || ActsFor(by, id)
            ? null
            : DomainError.Forbidden(field, "actor.department.mismatch",
                $"Only a keeper of department {id} may do this; the caller acts for {(by.DepartmentId?.ToString() ?? "no department")}.");

    /// <param name="existing">The matter already holding the code, or null.</param>
    /// <param name="owner">The owning department named by the command, or null when it is not registered.</param>
    /// <param name="library">The tag definitions found for the qualification codes, by upper-case code.</param>
    public static Decision Decide(DefineMatter command, InspectionMatter? existing, Department? owner,
        IReadOnlyDictionary<string, TagDefinition> library, Actor by)
    {
        if (CheckActsFor(by, command.OwnerDepartmentId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (!IsValidCode(Identifiers.NormalizeOrNull(command.Code)))
            errors.Add(DomainError.Invalid("code", "matter.code.format",
                $"A matter code is 2 to {MaxCodeLength} ASCII letters, digits, '-', '_' or '.'."));
        if (command.OwnerDepartmentId is null)
            errors.Add(DomainError.Invalid("ownerDepartmentId", "ownerDepartmentId.required", "'ownerDepartmentId' (抽查主体) is required."));
        var definition = CheckTerms(errors, 1, command.Terms(), library);
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("code", "matter.code.taken",
                $"Matter code {command.Code} is already used by '{existing.Latest().Name}'."));
        if (owner is null || !owner.Active)
            return Decision.Reject(DomainError.Invalid("ownerDepartmentId", "department.unknown",
                $"Department {command.OwnerDepartmentId} is not registered or is deactivated."));

        return Decision.Accept(new MatterDefined(InspectionMatter.IdFor(command.Code), Identifiers.Normalize(command.Code), owner.Id, definition!, by));
    }

    /// <summary>A revision records a full new definition as version n+1; an identical definition is a no-op.</summary>
    public static Decision Decide(ReviseMatter command, InspectionMatter matter, IReadOnlyDictionary<string, TagDefinition> library, Actor by)
    {
        if (CheckActsFor(by, matter.OwnerDepartmentId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        var definition = CheckTerms(errors, matter.Latest().Number + 1, command.Terms(), library);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (matter.Withdrawn)
            return Decision.Reject(DomainError.Conflict("id", "matter.withdrawn", $"Matter {matter.Code} is withdrawn and cannot be revised."));
        if (SameTerms(definition!, matter.Latest())) return Decision.Accept();
        return Decision.Accept(new MatterRevised(matter.Id, definition!, command.Reason.Trim(), by));
    }

    public static Decision Decide(WithdrawMatter command, InspectionMatter matter, Actor by)
    {
        if (CheckActsFor(by, matter.OwnerDepartmentId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);
        return RegistryEntry.Deactivate(command.Reason, !matter.Withdrawn, reason => new MatterWithdrawn(matter.Id, reason, by));
    }

    /// <summary>
    /// A department claims (认领) a matter of the level above for its own list. 《2022年邢台市“双随机、一公开”监管工作实施方案》
    /// (邢双随机办〔2022〕1号) 二（一）: "各有关部门要在省级部门随机抽查事项清单调整完毕后，依据自身对应的上级部门、三定方案中的监管职责
    /// 及时对涉及本部门监管事权的事项进行认领，形成本级的抽查事项清单". The claimer sits in the owner's region or below it;
    /// claiming again is a no-op.
    /// </summary>
    /// <param name="owner">The matter's owning department, as loaded.</param>
    /// <param name="claimer">The claiming department, or null when it is not registered.</param>
    public static Decision Decide(ClaimMatter command, InspectionMatter matter, Department? owner, Department? claimer, Actor by)
    {
        if (CheckActsFor(by, command.DepartmentId, "departmentId") is { } forbidden) return Decision.Reject(forbidden);
        if (command.DepartmentId is not { } claimerId)
            return Decision.Reject(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' (the claiming department) is required."));
        if (matter.Withdrawn)
            return Decision.Reject(DomainError.Conflict("id", "matter.withdrawn", $"Matter {matter.Code} is withdrawn and cannot be claimed."));
        if (claimer is null || !claimer.Active)
            return Decision.Reject(DomainError.Invalid("departmentId", "department.unknown", $"Department {claimerId} is not registered or is deactivated."));
        if (claimer.Id == matter.OwnerDepartmentId)
            return Decision.Reject(DomainError.Invalid("departmentId", "matter.claim.owner",
                $"'{claimer.Name}' owns matter {matter.Code}; an owner does not claim its own matter."));
        if (matter.IsClaimedBy(claimer.Id)) return Decision.Accept();
        if (owner is null || !DepartmentRules.IsSameOrAncestorRegion(owner.RegionCode, claimer.RegionCode))
            return Decision.Reject(DomainError.Invalid("departmentId", "matter.claim.region",
                $"'{claimer.Name}' ({claimer.RegionCode}) is not in the region of the owning department ({owner?.RegionCode ?? "unknown"}) or below it."));
        return Decision.Accept(new MatterClaimed(matter.Id, claimer.Id, matter.Latest().Number, by));
    }

    /// <param name="departmentId">The department whose claim is released.</param>
    public static Decision Decide(ReleaseMatterClaim command, Guid departmentId, InspectionMatter matter, Actor by)
    {
        if (CheckActsFor(by, departmentId, "departmentId") is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        var claim = matter.Claims.FirstOrDefault(c => c.DepartmentId == departmentId);
        if (claim is null)
            return Decision.Reject(DomainError.NotFound("departmentId", "matter.claim.unknown",
                $"Department {departmentId} holds no claim on matter {matter.Code}."));
        return Decision.Accept(new MatterClaimReleased(matter.Id, departmentId, claim.ClaimedVersion, command.Reason.Trim(), by));
    }

    public static InspectionMatter? Evolve(InspectionMatter? state, object @event) => @event switch
    {
        MatterDefined e => new InspectionMatter(e.MatterId, e.Code, e.OwnerDepartmentId, [e.Definition], [], Withdrawn: false, WithdrawalReason: null),
        MatterRevised e when state is not null => state with { Versions = [.. state.Versions, e.Definition] },
        MatterWithdrawn e when state is not null => state with { Withdrawn = true, WithdrawalReason = e.Reason },
        MatterClaimed e when state is not null && !state.IsClaimedBy(e.DepartmentId) =>
            state with { Claims = [.. state.Claims, new MatterClaim(e.DepartmentId, e.ClaimedVersion)] },
        MatterClaimReleased e when state is not null => state with { Claims = state.Claims.Where(c => c.DepartmentId != e.DepartmentId).ToList() },
        _ => state,
    };

    /// <summary>Checks the terms and returns the normalized version, or null (with <paramref name="errors"/> filled).</summary>
    private static MatterVersion? CheckTerms(List<DomainError> errors, int number, MatterTerms terms, IReadOnlyDictionary<string, TagDefinition> library)
    {
        var before = errors.Count;
        Text.RequireName(errors, "name", terms.Name, MaxNameLength);
        Text.RequireName(errors, "legalBasis", terms.LegalBasis, MaxLegalBasisLength);
        Text.RequireName(errors, "content", terms.Content, MaxContentLength);
        var methods = (terms.Methods ?? []).Distinct().Order().ToList();
        if (methods.Count == 0)
            errors.Add(DomainError.Invalid("methods", "matter.methods.empty",
                $"At least one inspection method (检查方式) is required: {string.Join(", ", Enum.GetNames<InspectionMethod>())}."));
        if (methods.Any(m => !Enum.IsDefined(m)))
            errors.Add(DomainError.Invalid("methods", "matter.methods.unknown", "An inspection method is not one of the known methods."));

        switch (terms.Category)
        {
            case null:
                errors.Add(DomainError.Invalid("category", "category.required",
                    $"'category' is required: one of {string.Join(", ", Enum.GetNames<MatterCategory>())}."));
                break;
            case MatterCategory.Key:
                // 重点检查事项: "抽查比例不设上限" – a cap would contradict the category.
                if (terms.RatioCapPercent is not null)
                    errors.Add(DomainError.Invalid("ratioCapPercent", "matter.ratio-cap.key",
                        "A key matter (重点检查事项) has no ratio cap (抽查比例不设上限); leave 'ratioCapPercent' empty."));
                if (terms.DefaultRatioPercent is { } keyRatio && !InPercentRange(keyRatio))
                    errors.Add(DomainError.Invalid("defaultRatioPercent", "matter.ratio.range", "'defaultRatioPercent' is a percentage above 0 and at most 100."));
                break;
            case MatterCategory.General:
                // 一般检查事项: "抽查比例应根据监管实际情况设置上限" – the cap is part of the definition.
                if (terms.RatioCapPercent is not { } cap)
                    errors.Add(DomainError.Invalid("ratioCapPercent", "ratioCapPercent.required",
                        "A general matter (一般检查事项) needs a ratio cap (抽查比例上限), in percent."));
                else if (!InPercentRange(cap))
                    errors.Add(DomainError.Invalid("ratioCapPercent", "matter.ratio-cap.range", "'ratioCapPercent' is a percentage above 0 and at most 100."));
                if (terms.DefaultRatioPercent is { } ratio)
                {
                    if (!InPercentRange(ratio))
                        errors.Add(DomainError.Invalid("defaultRatioPercent", "matter.ratio.range", "'defaultRatioPercent' is a percentage above 0 and at most 100."));
                    else if (terms.RatioCapPercent is { } c && InPercentRange(c) && ratio > c)
                        errors.Add(DomainError.Invalid("defaultRatioPercent", "matter.ratio.over-cap",
                            $"The default ratio {ratio}% is over the cap {c}% of this general matter (一般检查事项)."));
                }
                break;
            default:
                errors.Add(DomainError.Invalid("category", "category.unknown", "'category' is not a known category."));
                break;
        }

        // 邯商务〔2023〕2号 附件1 二（三）: "可以合理确定随机抽查的比例和频次".
        if (terms.DefaultFrequencyPerYear is < 1)
            errors.Add(DomainError.Invalid("defaultFrequencyPerYear", "matter.frequency.range", "'defaultFrequencyPerYear' is at least 1 (times a year)."));

        var qualifications = TagRules.Normalize(terms.InspectorQualifications);
        errors.AddRange(TagRules.CheckTags("inspectorQualifications", qualifications, library, TagScope.Inspector));

        if (errors.Count > before) return null;
        return new MatterVersion(number, terms.Name!.Trim(), terms.LegalBasis!.Trim(), terms.Content!.Trim(), terms.Category!.Value,
            methods, terms.Category == MatterCategory.Key ? null : terms.RatioCapPercent, terms.DefaultRatioPercent,
            terms.DefaultFrequencyPerYear, qualifications);
    }

    private static bool InPercentRange(decimal percent) => percent > 0m && percent <= 100m;

    private static bool SameTerms(MatterVersion a, MatterVersion b) =>
        a.Name == b.Name && a.LegalBasis == b.LegalBasis && a.Content == b.Content && a.Category == b.Category
        && a.Methods.SequenceEqual(b.Methods) && a.RatioCapPercent == b.RatioCapPercent && a.DefaultRatioPercent == b.DefaultRatioPercent
        && a.DefaultFrequencyPerYear == b.DefaultFrequencyPerYear && a.InspectorQualifications.SequenceEqual(b.InspectorQualifications);
}
