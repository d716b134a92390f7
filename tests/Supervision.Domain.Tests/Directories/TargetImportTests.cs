namespace Supervision.Domain.Tests.Directories;

public sealed class TargetImportTests
{
    private static readonly Actor Keeper = new("keeper-1", "名录管理员", Roles.DirectoryKeeper, null);
    private static readonly Department Market = new(Department.IdFor("XT-SCJG"), "XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null, true);
    private static readonly Dictionary<string, Department> ByCode = new() { ["XT-SCJG"] = Market };

    private static string Code(int n)
    {
        var first17 = $"91130500MA{n:D7}";
        return first17 + CreditCode.CheckCharacterFor(first17);
    }

    private static (TargetImport.Plan?, IReadOnlyList<ImportRowError>) Run(string csv, IReadOnlyDictionary<Guid, Target>? existing = null)
    {
        var (rows, errors) = TargetImport.Read(CsvFile.Parse(csv).ToList());
        if (errors.Count > 0) return (null, errors);
        return TargetImport.Decide(rows, existing ?? new Dictionary<Guid, Target>(), ByCode, new Dictionary<string, TagDefinition>(),
            _ => CreditRiskScheme.Default, "import:test", "import of test", Keeper);
    }

    [Fact]
    public void Unknown_or_missing_columns_refuse_the_file_at_the_header()
    {
        var (_, errors) = Run("credit_code,nmae,kind\n");
        Assert.Equal(["csv.column.missing", "csv.column.missing", "csv.column.unknown"], errors.Select(e => e.Rule).Order());
        Assert.All(errors, e => Assert.Equal(1, e.Row));
    }

    [Fact]
    public void Every_bad_cell_is_reported_with_its_line_and_column()
    {
        var csv = $"credit_code,name,kind,region_code,registered_on,supervising_departments\n" +
                  $"{Code(1)},甲,Enterprise,130521,2021-01-01,XT-SCJG\n" +
                  $"{Code(2)},乙,Enterprise,130521,2021-13-01,XT-NOPE\n" +
                  $"{Code(3)},丙,Company,13052,2021-01-01,\n" +
                  $"{Code(1)},甲,Enterprise,130521,2021-01-01,XT-SCJG";
        var (plan, errors) = Run(csv);
        Assert.Null(plan);
        var found = errors.Select(e => (e.Row, e.Column, e.Rule)).ToHashSet();
        Assert.Contains((3, "registered_on", "date.format"), found);
        Assert.Contains((4, "kind", "kind.value"), found);
        Assert.Contains((5, "credit_code", "csv.row.duplicate"), found);
    }

    [Fact]
    public void Cell_level_rules_after_reading_are_reported_per_row_too()
    {
        var wrong = Code(2)[..17] + (Code(2)[17] == '0' ? '1' : '0');
        var csv = $"credit_code,name,kind,region_code,supervising_departments\n{wrong},乙,Enterprise,130521,XT-NOPE\n{Code(3)},丙,Enterprise,13052,";
        var (_, errors) = Run(csv);
        var found = errors.Select(e => (e.Row, e.Column, e.Rule)).ToHashSet();
        Assert.Contains((2, "supervising_departments", "department.unknown"), found);
        Assert.Contains((2, "credit_code", "credit-code.checkcharacter"), found);
        Assert.Contains((3, "region_code", "region.code.format"), found);
    }

    [Fact]
    public void Rows_for_known_targets_change_them_or_are_left_alone()
    {
        var csv = $"credit_code,name,kind,region_code\n{Code(1)},甲,Enterprise,130521\n{Code(2)},乙,Enterprise,130521";
        var (first, _) = Run(csv);
        var existing = first!.Streams.Select(s => TargetRules.Evolve(null, s.Events[0])! with { Version = 1 }).ToDictionary(t => t.Id);

        var (again, _) = Run(csv, existing);
        Assert.Equal((0, 2), (again!.Streams.Count, again.Unchanged));

        var (changed, _) = Run(csv.Replace("乙", "乙（更名）"), existing);
        var stream = Assert.Single(changed!.Streams);
        Assert.False(stream.IsNew);
        Assert.Equal("乙（更名）", Assert.IsType<TargetDetailsChanged>(Assert.Single(stream.Events)).Name);
    }

    /// <summary>Issue 16: the file and the form share one normaliser, so padding in a cell cannot make a second target.</summary>
    [Fact]
    public void A_padded_or_full_width_credit_code_in_a_file_is_the_same_target_and_a_duplicate_of_its_plain_form()
    {
        var csv = "credit_code,name,kind,region_code,supervising_departments\n" +
                  $"\"\u3000{Code(7).ToLowerInvariant()}\u200B\",甲,Enterprise,130521,xt-scjg\n" +
                  $"{Code(7)},甲,Enterprise,130521,XT-SCJG\n";
        var (rows, errors) = TargetImport.Read(CsvFile.Parse(csv).ToList());
        Assert.Equal(Code(7), rows[0].Command.CreditCode);
        Assert.Equal(["XT-SCJG"], rows[0].DepartmentCodes);
        var duplicate = Assert.Single(errors);
        Assert.Equal((3, "csv.row.duplicate"), (duplicate.Row, duplicate.Rule));
    }
}
