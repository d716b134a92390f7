using Supervision.Domain.Dashboards;

namespace Supervision.Domain.Tests.Dashboards;

public sealed class PeriodTests
{
    [Fact]
    public void A_year_parses_to_the_whole_calendar_year()
    {
        Assert.Equal(new Period(PeriodKind.Year, 2026, 1, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)), Period.Parse("2026"));
        Assert.Equal("2026", Period.Parse(" 2026 ")!.Label);
    }

    [Fact]
    public void A_quarter_parses_to_its_three_months()
    {
        Assert.Equal(new Period(PeriodKind.Quarter, 2026, 2, new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)), Period.Parse("2026-Q2"));
        Assert.Equal(Period.Quarter(2026, 4), Period.Parse("2026-q4"));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), "2026-Q4"), (Period.Quarter(2026, 4).From, Period.Quarter(2026, 4).To, Period.Quarter(2026, 4).Label));
        Assert.Equal(new DateOnly(2026, 3, 31), Period.Quarter(2026, 1).To);
    }

    [Fact]
    public void A_month_parses_to_its_days()
    {
        Assert.Equal(new Period(PeriodKind.Month, 2026, 3, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), Period.Parse("2026-03"));
        Assert.Equal(new DateOnly(2026, 2, 28), Period.Month(2026, 2).To);
        Assert.Equal(new DateOnly(2028, 2, 29), Period.Month(2028, 2).To);
        Assert.Equal("2026-03", Period.Month(2026, 3).Label);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-Q5")]
    [InlineData("2026-Q0")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("1999")]
    [InlineData("2101")]
    [InlineData("26")]
    [InlineData("2026-3")]
    [InlineData("2026/03")]
    [InlineData("+2026")]
    [InlineData("2026-+3")]
    public void Anything_else_does_not_parse(string? text) => Assert.Null(Period.Parse(text));

    [Fact]
    public void A_period_contains_its_first_and_last_day_and_never_a_missing_date()
    {
        var march = Period.Month(2026, 3);
        Assert.True(march.Contains(new DateOnly(2026, 3, 1)));
        Assert.True(march.Contains(new DateOnly(2026, 3, 31)));
        Assert.False(march.Contains(new DateOnly(2026, 4, 1)));
        Assert.False(march.Contains(new DateOnly(2026, 2, 28)));
        Assert.False(march.Contains((DateOnly?)null));
    }
}
