namespace Supervision.Domain.Directories;

/// <summary>The inspector directory's decisions: each command against the inspector as it stands.</summary>
public static partial class InspectorRules
{
    /// <param name="existing">The inspector already registered under the staff code, if any.</param>
    /// <param name="department">The department named by the command, or null when it is not registered.</param>
    /// <param name="library">The tag definitions found for the command's tag codes, by (upper-case) code.</param>
    /// <param name="today">The day of registration (the default <c>activeFrom</c>).</param>
    public static Decision Decide(RegisterInspector command, Inspector? existing, Department? department,
        IReadOnlyDictionary<string, TagDefinition> library, DateOnly today, Actor by)
    {
        if (CheckKeeperOf(by, command.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (!IsValidStaffCode(command.StaffCode))
            errors.Add(DomainError.Invalid("staffCode", "inspector.code.format",
                $"A staff code is 2 to {MaxCodeLength} ASCII letters, digits, '-', '_' or '.'."));
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        CheckPost(errors, command.Post);
        if (command.DepartmentId is null || command.DepartmentId == Guid.Empty)
            errors.Add(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' is required."));
        CheckRegionFormat(errors, "regionCode", command.RegionCode);
        var certificates = new List<EnforcementCertificate>();
        var given = command.Certificates ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var prefix = $"certificates[{i}]";
            if (given[i] is not { } input)
            {
                errors.Add(DomainError.Invalid(prefix, "certificate.required", $"'{prefix}' is empty."));
                continue;
            }
            if (CheckCertificate(errors, prefix, input.Number, input.IssuedOn, input.ExpiresOn, today) is not { } certificate) continue;
            if (certificates.Any(c => c.Number == certificate.Number))
                errors.Add(DomainError.Invalid($"{prefix}.number", "certificate.number.duplicate", $"Certificate {certificate.Number} is listed twice."));
            else certificates.Add(certificate);
        }
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("staffCode", "inspector.code.taken",
                $"Staff code {Identifiers.Normalize(command.StaffCode)} is already registered to '{existing.Name}'."));

        var tags = TagRules.Normalize(command.Tags);
        errors.AddRange(TagRules.CheckTags("tags", tags, library, TagScope.Inspector));
        if (department is null)
            errors.Add(DomainError.Invalid("departmentId", "department.unknown", $"Department {command.DepartmentId} is not registered."));
        else CheckRegionInDepartment(errors, "regionCode", command.RegionCode, department);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!department!.Active)
            return Decision.Reject(DomainError.Conflict("departmentId", "department.inactive", $"Department '{department.Name}' is deactivated."));

        var id = Inspector.IdFor(command.StaffCode);
        return Decision.Accept(
        [
            new InspectorRegistered(id, Identifiers.Normalize(command.StaffCode), command.Name.Trim(), department.Id, NormalizePost(command.Post),
                command.RegionCode, command.Expert, tags, command.ActiveFrom ?? today, by),
            .. certificates.Select(c => new CertificateAdded(id, c.Number, c.IssuedOn, c.ExpiresOn, by)),
        ]);
    }

    /// <param name="department">The inspector's department (for the region check), or null to skip that check.</param>
    /// <param name="library">The tag definitions found for the command's tag codes, by (upper-case) code.</param>
    public static Decision Decide(ChangeInspectorDetails command, Inspector inspector, Department? department,
        IReadOnlyDictionary<string, TagDefinition> library, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (command.Name is not null) Text.RequireName(errors, "name", command.Name, MaxNameLength);
        CheckPost(errors, command.Post);
        if (command.RegionCode is not null) CheckRegionFormat(errors, "regionCode", command.RegionCode);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));

        var name = command.Name?.Trim() ?? inspector.Name;
        var post = command.Post is null ? inspector.Post : NormalizePost(command.Post);
        var region = command.RegionCode ?? inspector.RegionCode;
        var expert = command.Expert ?? inspector.Expert;
        var tags = command.Tags is null ? inspector.Tags : TagRules.Normalize(command.Tags);

        // A tag retired after it was put on the inspector may stay; only tags being added must be in the library.
        errors.AddRange(TagRules.CheckTags("tags", tags.Except(inspector.Tags), library, TagScope.Inspector));
        if (department is not null && region != inspector.RegionCode) CheckRegionInDepartment(errors, "regionCode", region, department);
        if (errors.Count > 0) return Decision.Reject(errors);

        if (name == inspector.Name && post == inspector.Post && region == inspector.RegionCode && expert == inspector.Expert
            && tags.SequenceEqual(inspector.Tags))
            return Decision.Accept();
        return Decision.Accept(new InspectorDetailsChanged(inspector.Id, name, post, region, expert, tags, command.Reason.Trim(), by));
    }

    /// <param name="today">The day the certificate is recorded: an already expired one is refused.</param>
    public static Decision Decide(AddCertificate command, Inspector inspector, DateOnly today, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        var certificate = CheckCertificate(errors, "", command.Number, command.IssuedOn, command.ExpiresOn, today);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        if (inspector.Certificates.FirstOrDefault(c => c.Number == certificate!.Number) is { } held)
            return Decision.Reject(DomainError.Conflict("number", "certificate.number.taken",
                $"Certificate {held.Number} is already recorded ({held.IssuedOn:yyyy-MM-dd} to {held.ExpiresOn:yyyy-MM-dd}{(held.Revoked ? ", revoked" : "")}); certificates are not edited."));
        return Decision.Accept(new CertificateAdded(inspector.Id, certificate!.Number, certificate.IssuedOn, certificate.ExpiresOn, by));
    }

    public static Decision Decide(RevokeCertificate command, string number, Inspector inspector, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        var normalized = NormalizeCertificateNumber(number ?? "");
        if (inspector.Certificates.FirstOrDefault(c => c.Number == normalized) is not { } certificate)
            return Decision.Reject(DomainError.NotFound("number", "certificate.unknown", $"{inspector.Name} holds no certificate {normalized}."));
        if (certificate.Revoked) return Decision.Accept();
        return Decision.Accept(new CertificateRevoked(inspector.Id, certificate.Number, command.Reason.Trim(), by));
    }

    public static Decision Decide(ChangeInspectorStatus command, Inspector inspector, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (command.Status is null)
            errors.Add(DomainError.Invalid("status", "status.required",
                $"'status' is required: one of {string.Join(", ", Enum.GetNames<InspectorStatus>())}."));
        if (command.EffectiveOn is null)
            errors.Add(DomainError.Invalid("effectiveOn", "effectiveOn.required", "'effectiveOn' is required (yyyy-MM-dd)."));
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        var last = inspector.StatusHistory[^1];
        if (command.EffectiveOn!.Value < last.EffectiveOn)
            return Decision.Reject(DomainError.Conflict("effectiveOn", "status.effective-date.order",
                $"The last status change took effect on {last.EffectiveOn:yyyy-MM-dd}; a new one cannot take effect before it."));
        if (command.Status == inspector.Status) return Decision.Accept();
        return Decision.Accept(new InspectorStatusChanged(inspector.Id, command.Status!.Value, command.EffectiveOn.Value, command.Reason.Trim(), by));
    }

    public static Decision Decide(DeclareConflictOfInterest command, Inspector inspector, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (command.Relation is null)
            errors.Add(DomainError.Invalid("relation", "relation.required",
                $"'relation' is required: one of {string.Join(", ", Enum.GetNames<ConflictRelation>())}."));
        var creditCode = Identifiers.NormalizeOrNull(command.TargetCreditCode);
        var targetId = command.TargetId is { } t && t != Guid.Empty ? t : (Guid?)null;
        if (creditCode is null && targetId is null)
            errors.Add(DomainError.Invalid("targetCreditCode", "conflict.target.required",
                "Name the target by 'targetCreditCode' (统一社会信用代码) or 'targetId'."));
        if (creditCode is not null && CreditCode.Check(creditCode) is var problem and not CreditCode.Problem.None)
            errors.Add(DomainError.Invalid("targetCreditCode", problem == CreditCode.Problem.CheckCharacter ? "credit-code.check" : "credit-code.format",
                CreditCode.Describe(problem, creditCode)));
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));

        // Declaring the same interest again is harmless: the first declaration stands.
        if (inspector.Conflicts.Any(c => !c.Withdrawn && c.Relation == command.Relation && c.TargetCreditCode == creditCode && c.TargetId == targetId))
            return Decision.Accept();
        var conflictId = DeterministicId.For("inspector-conflict", $"{inspector.Id:N}:{inspector.Conflicts.Count + 1}");
        return Decision.Accept(new ConflictOfInterestDeclared(inspector.Id, conflictId, command.Relation!.Value, creditCode, targetId, command.Reason.Trim(), by));
    }

    public static Decision Decide(WithdrawConflictOfInterest command, Guid conflictId, Inspector inspector, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (inspector.Conflicts.FirstOrDefault(c => c.Id == conflictId) is not { } conflict)
            return Decision.Reject(DomainError.NotFound("conflictId", "conflict.unknown", $"{inspector.Name} has declared no conflict {conflictId}."));
        if (conflict.Withdrawn) return Decision.Accept();
        return Decision.Accept(new ConflictOfInterestWithdrawn(inspector.Id, conflictId, command.Reason.Trim(), by));
    }

    /// <param name="target">The department named by the command, or null when it is not registered.</param>
    public static Decision Decide(TransferInspector command, Inspector inspector, Department? target, Actor by)
    {
        if (CheckKeeperOf(by, inspector.DepartmentId) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        if (command.DepartmentId is null || command.DepartmentId == Guid.Empty)
            errors.Add(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' is required."));
        if (command.RegionCode is not null) CheckRegionFormat(errors, "regionCode", command.RegionCode);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (IsLeft(inspector)) return Decision.Reject(LeftError(inspector));
        if (command.DepartmentId == inspector.DepartmentId)
            return Decision.Reject(DomainError.Invalid("departmentId", "transfer.same-department",
                "The inspector is already in that department; change the region of responsibility with a details change."));
        if (target is null)
            return Decision.Reject(DomainError.Invalid("departmentId", "department.unknown", $"Department {command.DepartmentId} is not registered."));
        var region = command.RegionCode ?? inspector.RegionCode;
        CheckRegionInDepartment(errors, "regionCode", region, target);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!target.Active)
            return Decision.Reject(DomainError.Conflict("departmentId", "department.inactive", $"Department '{target.Name}' is deactivated."));
        return Decision.Accept(new InspectorTransferred(inspector.Id, inspector.DepartmentId, target.Id, region, command.Reason.Trim(), by));
    }
}
