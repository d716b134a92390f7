namespace Supervision.Domain.Directories;

/// <summary>
/// Bulk import (批量导入) of the target directory from CSV. The whole file is checked before anything is written: one bad
/// row refuses the file with every bad row listed. A row for a target already in the directory changes its details
/// (or does nothing when they are the same), so importing the same file again writes nothing.
/// </summary>
public static class TargetImport
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "credit_code", "code", "name", "kind", "industry_code", "region_code", "address", "registered_on", "scale", "status", "status_since",
        "credit_class", "credit_class_set_on", "supervising_departments", "tags",
    ];

    private static readonly string[] Required = ["name", "kind", "region_code"];

    public sealed record ParsedRow(int Row, RegisterTarget Command, IReadOnlyList<string> DepartmentCodes, DateOnly? StatusSince);

    public sealed record Plan(IReadOnlyList<(Guid TargetId, bool IsNew, IReadOnlyList<object> Events)> Streams, int Unchanged);

    /// <summary>Reads the rows into commands, or lists every cell that cannot be read.</summary>
    public static (IReadOnlyList<ParsedRow> Rows, IReadOnlyList<ImportRowError> Errors) Read(IReadOnlyList<CsvFile.Row> rows)
    {
        if (rows.Count == 0) return ([], [Empty]);
        var (header, errors) = Header(rows[0]);
        if (errors.Count > 0) return ([], errors);
        var all = new List<ImportRowError>();
        var parsed = rows.Skip(1).Select(row => ReadRow(header, row, all)).OfType<ParsedRow>().ToList();
        var duplicates = new Duplicates();
        foreach (var row in parsed) duplicates.Check(row, all);
        return (parsed, all);
    }

    public static readonly ImportRowError Empty = new(1, "", "csv.empty", "The file is empty; the first line must name the columns.");

    /// <summary>The header line: the columns in order, or what is wrong with them.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<ImportRowError> Errors) Header(CsvFile.Row first)
    {
        var errors = new List<ImportRowError>();
        var header = first.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var unknown in header.Where(h => !Columns.Contains(h)))
            errors.Add(new ImportRowError(1, unknown, "csv.column.unknown", $"Unknown column '{unknown}'; the columns are: {string.Join(", ", Columns)}."));
        foreach (var missing in Required.Where(r => !header.Contains(r)))
            errors.Add(new ImportRowError(1, missing, "csv.column.missing", $"Column '{missing}' is required."));
        foreach (var duplicate in header.GroupBy(h => h).Where(g => g.Count() > 1))
            errors.Add(new ImportRowError(1, duplicate.Key, "csv.column.duplicate", $"Column '{duplicate.Key}' appears twice."));
        return (header, errors);
    }

    /// <summary>One data line into a command; every cell that cannot be read goes to <paramref name="errors"/>.</summary>
    public static ParsedRow? ReadRow(IReadOnlyList<string> header, CsvFile.Row row, List<ImportRowError> errors)
    {
        if (row.Fields.Count != header.Count)
        {
            errors.Add(new ImportRowError(row.Line, "", "csv.row.width", $"The row has {row.Fields.Count} fields; the header has {header.Count}."));
            return null;
        }
        string? Cell(string column)
        {
            var index = IndexOf(header, column);
            return index < 0 || string.IsNullOrWhiteSpace(row.Fields[index]) ? null : row.Fields[index].Trim();
        }
        T? ParseEnum<T>(string column) where T : struct, Enum
        {
            var text = Cell(column);
            if (text is null) return null;
            if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)) return value;
            errors.Add(new ImportRowError(row.Line, column, $"{column}.value", $"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}."));
            return null;
        }
        DateOnly? ParseDate(string column)
        {
            var text = Cell(column);
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add(new ImportRowError(row.Line, column, "date.format", $"'{text}' is not a date in the form yyyy-MM-dd."));
            return null;
        }
        IReadOnlyList<string> List(string column) =>
            (Cell(column) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var command = new RegisterTarget(
            Identifiers.NormalizeOrNull(Cell("credit_code")), Identifiers.NormalizeOrNull(Cell("code")), Cell("name") ?? "", ParseEnum<TargetKind>("kind"), Cell("industry_code"),
            Cell("region_code") ?? "", Cell("address"), ParseDate("registered_on"), ParseEnum<TargetScale>("scale"),
            ParseEnum<OperatingStatus>("status"), [], List("tags"), Cell("credit_class"), ParseDate("credit_class_set_on"));
        return new ParsedRow(row.Line, command, List("supervising_departments").Select(Identifiers.Normalize).ToList(), ParseDate("status_since"));
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++) if (header[i] == column) return i;
        return -1;
    }

    /// <summary>
    /// The same target twice in one file: the later line is refused, naming the first. Keeps 16 bytes of the identifier's SHA-256 per
    /// target (not the rows, not the strings), so a file of a million lines is checked in a few tens of megabytes.
    /// </summary>
    public sealed class Duplicates
    {
        private readonly Dictionary<Int128, int> firstLine = [];

        public void Check(ParsedRow row, List<ImportRowError> errors)
        {
            if (row.Command.Kind is null || !IdentifierIsReadable(row.Command)) return;
            var identifier = Target.IdentifierFor(row.Command.Kind.Value, row.Command.CreditCode, row.Command.Code);
            Span<byte> digest = stackalloc byte[32];
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identifier), digest);
            var key = System.Buffers.Binary.BinaryPrimitives.ReadInt128LittleEndian(digest);
            if (firstLine.TryGetValue(key, out var first))
                errors.Add(new ImportRowError(row.Row, Target.IsEntity(row.Command.Kind.Value) ? "credit_code" : "code", "csv.row.duplicate",
                    $"{identifier} also appears on line {first}."));
            else firstLine[key] = row.Row;
        }
    }

    private static bool IdentifierIsReadable(RegisterTarget command) =>
        Target.IsEntity(command.Kind!.Value) ? command.CreditCode is not null : command.Code is not null;

    /// <summary>Decides every row against the directory as loaded; returns the streams to write or the refused cells.</summary>
    public static (Plan? Plan, IReadOnlyList<ImportRowError> Errors) Decide(
        IReadOnlyList<ParsedRow> rows, IReadOnlyDictionary<Guid, Target> existing, IReadOnlyDictionary<string, Department> departmentsByCode,
        IReadOnlyDictionary<string, TagDefinition> tags, Func<string, CreditRiskScheme> schemeForRegion, string source, string reason, Actor by)
    {
        var errors = new List<ImportRowError>();
        var streams = new List<(Guid, bool, IReadOnlyList<object>)>();
        var unchanged = 0;
        var departmentsById = departmentsByCode.Values.ToDictionary(d => d.Id);
        foreach (var row in rows)
        {
            var departmentIds = new List<Guid>();
            foreach (var code in row.DepartmentCodes)
            {
                if (departmentsByCode.TryGetValue(code, out var department) && department.Active) departmentIds.Add(department.Id);
                else errors.Add(new ImportRowError(row.Row, "supervising_departments", "department.unknown", $"Department code '{code}' is not registered or is deactivated."));
            }
            var command = row.Command with { SupervisingDepartmentIds = departmentIds };
            var scheme = RegionRules.TryParseCode(command.RegionCode, out _, out _) ? schemeForRegion(command.RegionCode) : CreditRiskScheme.Default;
            var refs = new TargetRules.References(departmentsById, tags, scheme);

            var identifier = command.Kind is { } kind && IdentifierIsReadable(command) ? Target.IdentifierFor(kind, command.CreditCode, command.Code) : null;
            var current = identifier is null ? null : existing.GetValueOrDefault(Target.IdFor(identifier));
            if (current is null)
            {
                var decision = TargetRules.Decide(command, null, refs, source, by);
                if (decision.IsRejected) errors.AddRange(decision.Errors.Select(e => ToRowError(row.Row, e)));
                else streams.Add((((TargetRegistered)decision.Events[0]).TargetId, true, decision.Events));
                continue;
            }

            var events = new List<object>();
            var details = TargetRules.Decide(new ChangeTargetDetails(command.Name, command.IndustryCode, command.RegionCode, command.Address,
                command.RegisteredOn, command.Scale, command.SupervisingDepartmentIds, command.Tags, reason, current.Version), current, refs, by);
            if (details.IsRejected) { errors.AddRange(details.Errors.Select(e => ToRowError(row.Row, e))); continue; }
            events.AddRange(details.Events);
            if (command.Status is { } status && status != current.Status)
            {
                var change = TargetRules.Decide(new ChangeTargetStatus(status, row.StatusSince, reason, current.Version), current, by);
                if (change.IsRejected) { errors.AddRange(change.Errors.Select(e => ToRowError(row.Row, e))); continue; }
                events.AddRange(change.Events);
            }
            if (command.CreditClass is not null)
            {
                var credit = TargetRules.Decide(new SetTargetCreditClass(command.CreditClass, command.CreditClassSetOn, reason, current.Version), current, scheme, by);
                if (credit.IsRejected) { errors.AddRange(credit.Errors.Select(e => ToRowError(row.Row, e))); continue; }
                events.AddRange(credit.Events);
            }
            if (events.Count == 0) unchanged++;
            else streams.Add((current.Id, false, events));
        }
        return errors.Count > 0 ? (null, errors) : (new Plan(streams, unchanged), []);
    }

    private static readonly Dictionary<string, string> ColumnOf = new()
    {
        ["creditCode"] = "credit_code",
        ["industryCode"] = "industry_code",
        ["regionCode"] = "region_code",
        ["registeredOn"] = "registered_on",
        ["supervisingDepartmentIds"] = "supervising_departments",
        ["creditClass"] = "credit_class",
        ["creditClassSetOn"] = "credit_class_set_on",
        ["effectiveOn"] = "status_since",
    };

    private static ImportRowError ToRowError(int row, DomainError error) =>
        new(row, ColumnOf.GetValueOrDefault(error.Field, error.Field), error.Rule, error.Message);
}

/// <summary>A whole import file, once accepted: its content hash makes a second import of the same file a no-op.</summary>
public sealed record TargetImportCompleted(
    Guid ImportId, string FileSha256, string Encoding, int Rows, int Registered, int Changed, int Unchanged, Actor By)
{
    public static Guid IdFor(string fileSha256) => DeterministicId.For("target-import", fileSha256);
}
