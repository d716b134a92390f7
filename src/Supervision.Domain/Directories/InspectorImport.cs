namespace Supervision.Domain.Directories;

/// <summary>A data row of an import file with its values read (not yet checked against the directory).</summary>
public sealed record InspectorImportRow(
    int Row, string StaffCode, string Name, string? Post, string RegionCode, CertificateInput? Certificate, bool Expert, IReadOnlyList<string> Tags);

public sealed record InspectorImportSheet(IReadOnlyList<InspectorImportRow> Rows, IReadOnlyList<ImportRowError> Errors)
{
    /// <summary>How many data rows the file has, good or bad.</summary>
    public int RowCount { get; init; }
}

/// <param name="ExpectedVersion">The version the stream must still be at; null for a new inspector.</param>
public sealed record InspectorImportWrite(Guid InspectorId, long? ExpectedVersion, IReadOnlyList<object> Events);

/// <summary>Either every row's writes and the completion record, or every bad row: all or nothing.</summary>
public sealed record InspectorImportPlan(IReadOnlyList<ImportRowError> Errors, IReadOnlyList<InspectorImportWrite> Writes, InspectorImportCompleted? Completed)
{
    public bool IsRejected => Errors.Count > 0;
}

/// <summary>
/// Bulk import of a department's inspectors from CSV ("通过分类标注、批量导入等方式", 西华 2022). Every row goes through the
/// same decisions as the HTTP commands (register, details change, add certificate), so the rules are the same either way.
/// </summary>
public static class InspectorImport
{
    public const string StaffCode = "staff_code";
    public const string Name = "name";
    public const string Post = "post";
    public const string RegionCode = "region_code";
    public const string CertificateNumber = "certificate_number";
    public const string CertificateIssuedOn = "certificate_issued_on";
    public const string CertificateExpiresOn = "certificate_expires_on";
    public const string Expert = "expert";
    public const string Tags = "tags";

    public static readonly IReadOnlyList<string> Columns =
        [StaffCode, Name, Post, RegionCode, CertificateNumber, CertificateIssuedOn, CertificateExpiresOn, Expert, Tags];

    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d"];
    private static readonly string[] Yes = ["1", "true", "yes", "y", "是"];
    private static readonly string[] No = ["", "0", "false", "no", "n", "否"];

    /// <summary>Who may import for which department, decided before the file is read: a keeper of that department only.</summary>
    public static DomainError? CheckRequest(Guid? departmentId, Actor by) =>
        departmentId is not { } department || department == Guid.Empty
            ? DomainError.Invalid("departmentId", "departmentId.required", "The query parameter 'departmentId' names the department whose inspectors the file lists.")
            : InspectorRules.CheckKeeperOf(by, department);

    /// <summary>The department the file is for must be registered and active.</summary>
    public static DomainError? CheckDepartment(Guid departmentId, Department? owner) =>
        owner is null ? DomainError.Invalid("departmentId", "department.unknown", $"Department {departmentId} is not registered.")
        : !owner.Active ? DomainError.Conflict("departmentId", "department.inactive", $"Department '{owner.Name}' is deactivated.")
        : null;

    public static Guid IdFor(Guid departmentId, string fileSha256) => DeterministicId.For("inspector-import", $"{departmentId:N}:{fileSha256}");

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Decodes and reads a file (see <see cref="Read(IReadOnlyList{CsvFile.Row})"/>); null when it is neither UTF-8 nor GB18030.</summary>
    public static (InspectorImportSheet? Sheet, string Encoding, ImportRowError? Problem) Read(ReadOnlySpan<byte> bytes)
    {
        var (text, encoding, problem) = CsvFile.Decode(bytes);
        return text is null
            ? (null, encoding, new ImportRowError(1, "", "csv.encoding", problem ?? "The file is neither UTF-8 nor GB18030 text."))
            : (Read(CsvFile.Parse(text).ToList()), encoding, null);
    }

    /// <summary>Reads the file's rows and checks what can be checked without the directory: header, columns, formats.</summary>
    public static InspectorImportSheet Read(IReadOnlyList<CsvFile.Row> records)
    {
        var errors = new List<ImportRowError>();
        if (records.Count == 0)
            return new([], [new(1, "", "csv.empty", $"The file is empty; its first line names the columns: {string.Join(",", Columns)}.")]);

        var header = records[0];
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var unknown in names.Where(n => !Columns.Contains(n)).Distinct())
            errors.Add(new(header.Line, unknown, "csv.column.unknown", $"Unknown column '{unknown}'; the columns are {string.Join(",", Columns)}."));
        foreach (var twice in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
            errors.Add(new(header.Line, twice, "csv.column.duplicate", $"Column '{twice}' appears more than once."));
        foreach (var missing in Columns.Where(c => !names.Contains(c)))
            errors.Add(new(header.Line, missing, "csv.column.missing", $"Column '{missing}' is missing from the header."));
        if (errors.Count > 0) return new([], errors);

        var rows = new List<InspectorImportRow>();
        var dataRows = 0;
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            dataRows++;
            if (record.Fields.Count != names.Count)
            {
                errors.Add(new(record.Line, "", "csv.row.width", $"The row has {record.Fields.Count} values; the header has {names.Count} columns."));
                continue;
            }
            string Value(string column) => record.Fields[names.IndexOf(column)].Trim();
            var rowErrors = new List<ImportRowError>();

            DateOnly? Date(string column)
            {
                var value = Value(column);
                if (value.Length == 0) return null;
                if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
                rowErrors.Add(new(record.Line, column, "date.format", $"'{value}' is not a date (yyyy-MM-dd)."));
                return null;
            }

            CertificateInput? certificate = null;
            var number = Value(CertificateNumber);
            var issuedText = Value(CertificateIssuedOn);
            var expiresText = Value(CertificateExpiresOn);
            var issued = Date(CertificateIssuedOn);
            var expires = Date(CertificateExpiresOn);
            if (number.Length > 0 || issuedText.Length > 0 || expiresText.Length > 0)
            {
                foreach (var (column, value) in new[] { (CertificateNumber, number), (CertificateIssuedOn, issuedText), (CertificateExpiresOn, expiresText) })
                {
                    if (value.Length == 0)
                        rowErrors.Add(new(record.Line, column, "certificate.incomplete",
                            "A certificate needs its number, issue date and expiry date; leave all three empty for none."));
                }
                certificate = new CertificateInput(number, issued, expires);
            }

            var expertText = Value(Expert);
            var expert = false;
            if (Yes.Contains(expertText.ToLowerInvariant())) expert = true;
            else if (!No.Contains(expertText.ToLowerInvariant()))
                rowErrors.Add(new(record.Line, Expert, "expert.format", $"'{expertText}' is not a yes/no value (true/false, 1/0, 是/否)."));

            var tags = Value(Tags).Split([';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var post = Value(Post);
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            rows.Add(new InspectorImportRow(record.Line, Value(StaffCode), Value(Name), post.Length == 0 ? null : post, Value(RegionCode),
                certificate, expert, tags));
        }
        if (dataRows == 0 && errors.Count == 0)
            errors.Add(new(header.Line, "", "csv.empty", "The file has a header but no data rows."));
        return new InspectorImportSheet(rows, errors) { RowCount = dataRows };
    }

    /// <summary>The inspector ids a sheet names (to load before planning).</summary>
    public static IReadOnlyList<Guid> InspectorIds(InspectorImportSheet sheet) =>
        sheet.Rows.Where(r => InspectorRules.IsValidStaffCode(r.StaffCode)).Select(r => Inspector.IdFor(r.StaffCode)).Distinct().ToList();

    /// <summary>The tag codes a sheet names (to load before planning).</summary>
    public static IReadOnlyList<string> TagCodes(InspectorImportSheet sheet) => TagRules.Normalize(sheet.Rows.SelectMany(r => r.Tags));

    /// <summary>
    /// Decides every row: new staff codes are registered, known ones of this department are brought in line with the file
    /// (details change with reason "import &lt;hash prefix&gt;", new certificate added) or skipped when identical.
    /// Any bad row refuses the whole file.
    /// </summary>
    /// <param name="existing">The inspectors already registered under the file's staff codes, by id.</param>
    public static InspectorImportPlan Plan(
        InspectorImportSheet sheet, Guid departmentId, Department? department, IReadOnlyDictionary<Guid, Inspector> existing,
        IReadOnlyDictionary<string, TagDefinition> library, string fileSha256, string encoding, DateOnly today, Actor by)
    {
        var errors = new List<ImportRowError>(sheet.Errors);
        var writes = new List<InspectorImportWrite>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int registered = 0, changed = 0, unchanged = 0;
        var reason = $"import {fileSha256[..Math.Min(12, fileSha256.Length)]}";

        foreach (var row in sheet.Rows)
        {
            void Refuse(IEnumerable<DomainError> refused) =>
                errors.AddRange(refused.Select(e => new ImportRowError(row.Row, ColumnFor(e.Field), e.Rule, e.Message)));

            var key = Identifiers.Normalize(row.StaffCode);
            if (key.Length > 0 && seen.TryGetValue(key, out var first))
            {
                errors.Add(new(row.Row, StaffCode, "inspector.code.duplicate", $"Staff code {key} is already on line {first}."));
                continue;
            }
            seen[key] = row.Row;

            var register = new RegisterInspector(row.StaffCode, row.Name, departmentId, row.Post, row.RegionCode,
                row.Certificate is { } c ? [c] : [], row.Tags, row.Expert);
            var current = InspectorRules.IsValidStaffCode(row.StaffCode) ? existing.GetValueOrDefault(Inspector.IdFor(row.StaffCode)) : null;
            if (current is null || current.DepartmentId != departmentId)
            {
                var decision = InspectorRules.Decide(register, current, department, library, today, by);
                if (decision.IsRejected) Refuse(decision.Errors);
                else
                {
                    writes.Add(new InspectorImportWrite(Inspector.IdFor(row.StaffCode), null, decision.Events));
                    registered++;
                }
                continue;
            }

            var events = new List<object>();
            var details = InspectorRules.Decide(
                new ChangeInspectorDetails(row.Name, row.Post ?? "", row.RegionCode, row.Expert, row.Tags, reason, current.Version),
                current, department, library, by);
            if (details.IsRejected)
            {
                Refuse(details.Errors);
                continue;
            }
            events.AddRange(details.Events);
            var state = details.Events.Aggregate(current, (s, e) => InspectorRules.Evolve(s, e)!);
            if (row.Certificate is { } certificate && !Holds(state, certificate))
            {
                var added = InspectorRules.Decide(new AddCertificate(certificate.Number, certificate.IssuedOn, certificate.ExpiresOn, state.Version), state, today, by);
                if (added.IsRejected)
                {
                    Refuse(added.Errors);
                    continue;
                }
                events.AddRange(added.Events);
            }
            if (events.Count == 0) unchanged++;
            else
            {
                writes.Add(new InspectorImportWrite(current.Id, current.Version, events));
                changed++;
            }
        }

        if (errors.Count > 0)
            return new InspectorImportPlan([.. errors.OrderBy(e => e.Row).ThenBy(e => e.Column, StringComparer.Ordinal)], [], null);
        var completed = new InspectorImportCompleted(IdFor(departmentId, fileSha256), departmentId, fileSha256, encoding,
            sheet.RowCount, registered, changed, unchanged, by);
        return new InspectorImportPlan([], writes, completed);
    }

    private static bool Holds(Inspector inspector, CertificateInput certificate) =>
        inspector.Certificates.Any(held => held.Number == InspectorRules.NormalizeCertificateNumber(certificate.Number)
            && held.IssuedOn == certificate.IssuedOn && held.ExpiresOn == certificate.ExpiresOn);

    /// <summary>The file's column for a command field named in a refusal.</summary>
    private static string ColumnFor(string field) => field switch
    {
        "staffCode" => StaffCode,
        "name" => Name,
        "post" => Post,
        "regionCode" => RegionCode,
        "expert" => Expert,
        "tags" => Tags,
        "status" => StaffCode,
        "departmentId" or "reason" => "",
        _ when field.EndsWith("number", StringComparison.Ordinal) => CertificateNumber,
        _ when field.EndsWith("issuedOn", StringComparison.Ordinal) => CertificateIssuedOn,
        _ when field.EndsWith("expiresOn", StringComparison.Ordinal) => CertificateExpiresOn,
        _ => field,
    };
}
