namespace Supervision.Domain.Directories;

/// <summary>
/// 基础检查表 or 个性化检查表单. 《2022年邢台市“双随机、一公开”监管工作实施方案》(邢双随机办〔2022〕1号) 二（一）:
/// "新平台中的表格库除原有的基础检查表外，允许各部门依抽查事项添加个性化检查表单，各级有关部门要在抽查开展前完成相关表单的添加工作。"
/// </summary>
public enum CheckFormKind
{
    /// <summary>基础检查表: the matter's base form, kept by the matter's owning department; one per matter.</summary>
    Base,
    /// <summary>个性化检查表单: a form a department adds for a matter it owns or has claimed.</summary>
    DepartmentSpecific,
}

/// <summary>How an item of a form is answered.</summary>
public enum AnswerType
{
    YesNo,
    /// <summary>One of a list of at least two distinct options.</summary>
    Choice,
    Text,
    /// <summary>A number, with an optional unit.</summary>
    Number,
    Date,
}

/// <summary>An item as given by the caller (unvalidated).</summary>
public sealed record CheckFormItemInput(
    string? Code, string? Text, AnswerType? AnswerType, IReadOnlyList<string>? Options, string? Unit, bool Required, string? LegalBasis);

/// <summary>One question of a form.</summary>
/// <param name="Code">Unique within the form (case-insensitive), stored upper-case.</param>
/// <param name="Options">The choices of a <see cref="AnswerType.Choice"/> item; empty for every other type.</param>
/// <param name="Unit">The unit of a <see cref="AnswerType.Number"/> item, if any.</param>
/// <param name="LegalBasis">The provision the item checks, if given.</param>
public sealed record CheckFormItem(
    string Code, string Text, AnswerType AnswerType, IReadOnlyList<string> Options, string? Unit, bool Required, string? LegalBasis);

/// <summary>One published version of a form: the full ordered item list. A task pins <c>(formId, Number)</c>.</summary>
public sealed record CheckFormVersion(int Number, IReadOnlyList<CheckFormItem> Items) : INumberedVersion;

/// <param name="OwnerDepartmentId">Required for a department-specific form; for a base form, omitted or the matter's owner.</param>
public sealed record DefineCheckForm(
    string Code, string Name, CheckFormKind? Kind, Guid? MatterId, Guid? OwnerDepartmentId, IReadOnlyList<CheckFormItemInput>? Items);

/// <summary>Publishes a full new item list as version n+1.</summary>
/// <param name="Version">The stream version the caller last read; a stale one is refused with 409.</param>
public sealed record PublishCheckFormVersion(IReadOnlyList<CheckFormItemInput>? Items, string Reason, long Version);

public sealed record RetireCheckForm(string Reason, long Version);

public sealed record CheckFormDefined(
    Guid FormId, string Code, string Name, CheckFormKind Kind, Guid MatterId, Guid OwnerDepartmentId, CheckFormVersion Definition, Actor By);
public sealed record CheckFormVersionPublished(Guid FormId, CheckFormVersion Definition, string Reason, Actor By);
public sealed record CheckFormRetired(Guid FormId, string Reason, Actor By);

/// <summary>
/// A check form template (检查表单) for one matter, set before the inspection starts. Codes are unique system-wide; every
/// published version stays readable so a task that pinned one can still show the questions it was inspected against.
/// </summary>
public sealed record CheckFormTemplate(
    Guid Id,
    string Code,
    string Name,
    CheckFormKind Kind,
    Guid MatterId,
    Guid OwnerDepartmentId,
    IReadOnlyList<CheckFormVersion> Versions,
    bool Retired,
    string? RetirementReason) : IFolded<CheckFormTemplate>, IVersionedDefinition<CheckFormVersion>
{
    /// <summary>The stream version this state was built from (set by the event store).</summary>
    public long Version { get; init; }

    public CheckFormTemplate WithVersion(long version) => this with { Version = version };

    public static CheckFormTemplate? StateAfter(CheckFormTemplate? state, object @event) => CheckFormRules.Evolve(state, @event);

    public static Guid IdFor(string code) => DeterministicId.For("check-form", Identifiers.Normalize(code));
}

public static class CheckFormRules
{
    public const int MaxCodeLength = 40;
    public const int MaxNameLength = 200;
    public const int MaxItems = 500;
    public const int MaxItemCodeLength = 40;
    public const int MaxItemTextLength = 2000;
    public const int MaxOptionLength = 200;
    public const int MaxUnitLength = 20;
    public const int MaxLegalBasisLength = 2000;
    public const int MaxReasonLength = 1000;

    public static readonly IReadOnlyList<Type> EventTypes = [typeof(CheckFormDefined), typeof(CheckFormVersionPublished), typeof(CheckFormRetired)];

    public static bool IsValidCode(string? code) =>
        code is { Length: >= 2 and <= MaxCodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static bool IsValidItemCode(string? code) =>
        code is { Length: >= 1 and <= MaxItemCodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <param name="existing">The form already holding the code, or null.</param>
    /// <param name="matter">The matter named by the command, or null when it does not exist.</param>
    /// <param name="owner">The department named as owner, or null when none was named or it is not registered.</param>
    /// <param name="existingBase">An active base form of the matter, if there is one.</param>
    public static Decision Decide(DefineCheckForm command, CheckFormTemplate? existing, InspectionMatter? matter, Department? owner,
        CheckFormTemplate? existingBase, Actor by)
    {
        var errors = new List<DomainError>();
        if (!IsValidCode(Identifiers.NormalizeOrNull(command.Code)))
            errors.Add(DomainError.Invalid("code", "form.code.format", $"A form code is 2 to {MaxCodeLength} ASCII letters, digits, '-', '_' or '.'."));
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (command.Kind is null)
            errors.Add(DomainError.Invalid("kind", "kind.required", $"'kind' is required: one of {string.Join(", ", Enum.GetNames<CheckFormKind>())}."));
        if (command.MatterId is null)
            errors.Add(DomainError.Invalid("matterId", "matterId.required", "'matterId' is required: the matter the form is for."));
        if (command.Kind == CheckFormKind.DepartmentSpecific && command.OwnerDepartmentId is null)
            errors.Add(DomainError.Invalid("ownerDepartmentId", "ownerDepartmentId.required", "A department-specific form (个性化检查表单) names its department."));
        var items = CheckItems(errors, command.Items);
        if (errors.Count > 0) return Decision.Reject(errors);

        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("code", "form.code.taken", $"Form code {command.Code} is already used by '{existing.Name}'."));
        if (matter is null)
            return Decision.Reject(DomainError.Invalid("matterId", "matter.unknown", $"Matter {command.MatterId} does not exist."));
        if (matter.Withdrawn)
            return Decision.Reject(DomainError.Conflict("matterId", "matter.withdrawn", $"Matter {matter.Code} is withdrawn; it takes no new forms."));

        Guid ownerId;
        if (command.Kind == CheckFormKind.Base)
        {
            if (command.OwnerDepartmentId is { } given && given != matter.OwnerDepartmentId)
                return Decision.Reject(DomainError.Invalid("ownerDepartmentId", "form.owner.base",
                    "A base form (基础检查表) belongs to the matter's owning department (抽查主体)."));
            if (existingBase is not null)
                return Decision.Reject(DomainError.Conflict("kind", "form.base.exists",
                    $"Matter {matter.Code} already has the base form {existingBase.Code}; publish a new version of it instead."));
            ownerId = matter.OwnerDepartmentId;
        }
        else
        {
            if (owner is null || !owner.Active)
                return Decision.Reject(DomainError.Invalid("ownerDepartmentId", "department.unknown",
                    $"Department {command.OwnerDepartmentId} is not registered or is deactivated."));
            if (!matter.IsListedFor(owner.Id))
                return Decision.Reject(DomainError.Invalid("ownerDepartmentId", "form.owner.not-listed",
                    $"'{owner.Name}' neither owns nor has claimed matter {matter.Code}; claim it (认领) before adding a form for it."));
            ownerId = owner.Id;
        }
        // The form's department is known only now (the matter's owner for a base form): its own keeper alone may add the form.
        if (MatterRules.CheckActsFor(by, ownerId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);

        return Decision.Accept(new CheckFormDefined(CheckFormTemplate.IdFor(command.Code), Identifiers.Normalize(command.Code), command.Name.Trim(), command.Kind!.Value,
            matter.Id, ownerId, new CheckFormVersion(1, items!), by));
    }

    /// <param name="matter">The form's matter as it is now, or null if it no longer exists.</param>
    public static Decision Decide(PublishCheckFormVersion command, CheckFormTemplate form, InspectionMatter? matter, Actor by)
    {
        if (MatterRules.CheckActsFor(by, form.OwnerDepartmentId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        var items = CheckItems(errors, command.Items);
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (form.Retired)
            return Decision.Reject(DomainError.Conflict("id", "form.retired", $"Form {form.Code} is retired; it takes no new versions."));
        if (matter is null || matter.Withdrawn)
            return Decision.Reject(DomainError.Conflict("matterId", "matter.withdrawn", "The form's matter is withdrawn; its forms take no new versions."));
        if (SameItems(items!, form.Latest().Items)) return Decision.Accept();
        return Decision.Accept(new CheckFormVersionPublished(form.Id, new CheckFormVersion(form.Latest().Number + 1, items!), command.Reason.Trim(), by));
    }

    public static Decision Decide(RetireCheckForm command, CheckFormTemplate form, Actor by)
    {
        if (MatterRules.CheckActsFor(by, form.OwnerDepartmentId, "ownerDepartmentId") is { } forbidden) return Decision.Reject(forbidden);
        return RegistryEntry.Deactivate(command.Reason, !form.Retired, reason => new CheckFormRetired(form.Id, reason, by));
    }

    public static CheckFormTemplate? Evolve(CheckFormTemplate? state, object @event) => @event switch
    {
        CheckFormDefined e => new CheckFormTemplate(e.FormId, e.Code, e.Name, e.Kind, e.MatterId, e.OwnerDepartmentId, [e.Definition],
            Retired: false, RetirementReason: null),
        CheckFormVersionPublished e when state is not null => state with { Versions = [.. state.Versions, e.Definition] },
        CheckFormRetired e when state is not null => state with { Retired = true, RetirementReason = e.Reason },
        _ => state,
    };

    /// <summary>
    /// Checks an item list: at least one item, item codes well-formed and unique (case-insensitive), text and answer type
    /// given, choice options at least two and distinct, options and unit only where the answer type uses them.
    /// Errors name the item by index, e.g. <c>items[2].options</c>. Returns the normalized items, or null.
    /// </summary>
    public static IReadOnlyList<CheckFormItem>? CheckItems(List<DomainError> errors, IReadOnlyList<CheckFormItemInput>? items)
    {
        var before = errors.Count;
        if (items is null || items.Count == 0)
        {
            errors.Add(DomainError.Invalid("items", "form.items.empty", "A form has at least one item."));
            return null;
        }
        if (items.Count > MaxItems)
        {
            errors.Add(DomainError.Invalid("items", "form.items.too-many", $"A form has at most {MaxItems} items."));
            return null;
        }

        var result = new List<CheckFormItem>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"items[{i}]";
            var item = items[i];
            if (item is null)
            {
                errors.Add(DomainError.Invalid(field, "form.item.required", $"'{field}' is empty."));
                continue;
            }

            var code = item.Code?.Trim().ToUpperInvariant();
            if (!IsValidItemCode(code))
                errors.Add(DomainError.Invalid($"{field}.code", "form.item.code.format",
                    $"An item code is 1 to {MaxItemCodeLength} ASCII letters, digits, '-', '_' or '.'."));
            else if (!seen.Add(code!))
                errors.Add(DomainError.Invalid($"{field}.code", "form.item.code.duplicate", $"Item code '{item.Code}' is used twice in the form."));

            if (string.IsNullOrWhiteSpace(item.Text))
                errors.Add(DomainError.Invalid($"{field}.text", "form.item.text.required", "Each item has its question text."));
            else if (item.Text.Trim().Length > MaxItemTextLength)
                errors.Add(DomainError.Invalid($"{field}.text", "form.item.text.too-long", $"An item's text is at most {MaxItemTextLength} characters."));

            if (item.LegalBasis is { } basis && basis.Trim().Length > MaxLegalBasisLength)
                errors.Add(DomainError.Invalid($"{field}.legalBasis", "form.item.legal-basis.too-long", $"An item's legal basis is at most {MaxLegalBasisLength} characters."));

            var options = (item.Options ?? []).Select(o => o?.Trim() ?? "").ToList();
            switch (item.AnswerType)
            {
                case null:
                    errors.Add(DomainError.Invalid($"{field}.answerType", "form.item.answer-type.required",
                        $"'answerType' is required: one of {string.Join(", ", Enum.GetNames<AnswerType>())}."));
                    break;
                case AnswerType.Choice:
                    if (options.Count < 2 || options.Any(o => o.Length == 0))
                        errors.Add(DomainError.Invalid($"{field}.options", "form.item.choice.options", "A choice item has at least two non-empty options."));
                    else if (options.Distinct(StringComparer.Ordinal).Count() != options.Count)
                        errors.Add(DomainError.Invalid($"{field}.options", "form.item.choice.options", "A choice item's options are distinct."));
                    else if (options.Any(o => o.Length > MaxOptionLength))
                        errors.Add(DomainError.Invalid($"{field}.options", "form.item.choice.options", $"An option is at most {MaxOptionLength} characters."));
                    break;
                default:
                    if (!Enum.IsDefined(item.AnswerType.Value))
                        errors.Add(DomainError.Invalid($"{field}.answerType", "form.item.answer-type.unknown", "'answerType' is not a known answer type."));
                    else if (options.Count > 0)
                        errors.Add(DomainError.Invalid($"{field}.options", "form.item.options.unexpected", "Only a choice item has options."));
                    break;
            }

            if (!string.IsNullOrWhiteSpace(item.Unit))
            {
                if (item.AnswerType != AnswerType.Number)
                    errors.Add(DomainError.Invalid($"{field}.unit", "form.item.unit.unexpected", "Only a number item has a unit."));
                else if (item.Unit.Trim().Length > MaxUnitLength)
                    errors.Add(DomainError.Invalid($"{field}.unit", "form.item.unit.too-long", $"A unit is at most {MaxUnitLength} characters."));
            }

            if (errors.Count == before)
                result.Add(new CheckFormItem(code!, item.Text!.Trim(), item.AnswerType!.Value,
                    item.AnswerType == AnswerType.Choice ? options : [],
                    string.IsNullOrWhiteSpace(item.Unit) ? null : item.Unit.Trim(),
                    item.Required,
                    string.IsNullOrWhiteSpace(item.LegalBasis) ? null : item.LegalBasis.Trim()));
        }
        return errors.Count > before ? null : result;
    }

    private static bool SameItems(IReadOnlyList<CheckFormItem> a, IReadOnlyList<CheckFormItem> b) =>
        a.Count == b.Count && a.Zip(b).All(p =>
            p.First.Code == p.Second.Code && p.First.Text == p.Second.Text && p.First.AnswerType == p.Second.AnswerType
            && p.First.Options.SequenceEqual(p.Second.Options) && p.First.Unit == p.Second.Unit
            && p.First.Required == p.Second.Required && p.First.LegalBasis == p.Second.LegalBasis);
}
