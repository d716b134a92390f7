namespace Supervision.Domain.Calendar;

/// <summary>
/// The arrangements of the State Council's annual holiday notices (国务院办公厅关于 N 年部分节假日安排的通知) shipped
/// with the system, revision 1 each. Holidays list every day off of each block, weekend days included; make-up
/// working days are the weekend days worked (调休上班). A later notice, or an amendment such as 2020's extension of
/// the Spring Festival holiday, is loaded through the calendar administration (<see cref="LoadCalendarYear"/>) and wins
/// over these as a higher revision.
/// </summary>
public static class StateCouncilNotices
{
    /// <summary>
    /// 2022: 国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）.
    /// 元旦 1/1–1/3; 春节 1/31–2/6, 1/29 (Sat) and 1/30 (Sun) worked; 清明 4/3–4/5, 4/2 (Sat) worked;
    /// 劳动节 4/30–5/4, 4/24 (Sun) and 5/7 (Sat) worked; 端午 6/3–6/5; 中秋 9/10–9/12; 国庆 10/1–10/7, 10/8 (Sat) and 10/9 (Sun) worked.
    /// (31 Dec 2022, a Saturday, is the first day of the 2023 New Year holiday set by the 2023 notice: a rest day either way.)
    /// </summary>
    public static CalendarYear Year2022 { get; } = new Notice(2022, "国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）")
        .Off(1, 1, 1, 3)                                // 元旦
        .Off(1, 31, 2, 6).Work(1, 29).Work(1, 30)       // 春节
        .Off(4, 3, 4, 5).Work(4, 2)                     // 清明节
        .Off(4, 30, 5, 4).Work(4, 24).Work(5, 7)        // 劳动节
        .Off(6, 3, 6, 5)                                // 端午节
        .Off(9, 10, 9, 12)                              // 中秋节
        .Off(10, 1, 10, 7).Work(10, 8).Work(10, 9)      // 国庆节
        .Build();

    /// <summary>
    /// 2023: 国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）.
    /// 元旦 2022-12-31–2023-01-02 (only 1/1 and 1/2 are 2023 days); 春节 1/21–1/27, 1/28 (Sat) and 1/29 (Sun) worked; 清明 4/5;
    /// 劳动节 4/29–5/3, 4/23 (Sun) and 5/6 (Sat) worked; 端午 6/22–6/24, 6/25 (Sun) worked;
    /// 中秋·国庆 9/29–10/6, 10/7 (Sat) and 10/8 (Sun) worked.
    /// </summary>
    public static CalendarYear Year2023 { get; } = new Notice(2023, "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）")
        .Off(1, 1, 1, 2)                                // 元旦 (from 2022-12-31, a Saturday of 2022)
        .Off(1, 21, 1, 27).Work(1, 28).Work(1, 29)      // 春节
        .Off(4, 5)                                      // 清明节
        .Off(4, 29, 5, 3).Work(4, 23).Work(5, 6)        // 劳动节
        .Off(6, 22, 6, 24).Work(6, 25)                  // 端午节
        .Off(9, 29, 10, 6).Work(10, 7).Work(10, 8)      // 中秋节、国庆节
        .Build();

    /// <summary>
    /// 2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）.
    /// 元旦 1/1; 春节 2/10–2/17, 2/4 (Sun) and 2/18 (Sun) worked; 清明 4/4–4/6, 4/7 (Sun) worked;
    /// 劳动节 5/1–5/5, 4/28 (Sun) and 5/11 (Sat) worked; 端午 6/10; 中秋 9/15–9/17, 9/14 (Sat) worked;
    /// 国庆 10/1–10/7, 9/29 (Sun) and 10/12 (Sat) worked.
    /// </summary>
    public static CalendarYear Year2024 { get; } = new Notice(2024, "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）")
        .Off(1, 1)                                      // 元旦
        .Off(2, 10, 2, 17).Work(2, 4).Work(2, 18)       // 春节
        .Off(4, 4, 4, 6).Work(4, 7)                     // 清明节
        .Off(5, 1, 5, 5).Work(4, 28).Work(5, 11)        // 劳动节
        .Off(6, 10)                                     // 端午节
        .Off(9, 15, 9, 17).Work(9, 14)                  // 中秋节
        .Off(10, 1, 10, 7).Work(9, 29).Work(10, 12)     // 国庆节
        .Build();

    /// <summary>
    /// 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, the first under the amended
    /// 全国年节及纪念日放假办法 (Spring Festival's eve and 2 May became public holidays).
    /// 元旦 1/1; 春节 1/28–2/4, 1/26 (Sun) and 2/8 (Sat) worked; 清明 4/4–4/6; 劳动节 5/1–5/5, 4/27 (Sun) worked;
    /// 端午 5/31–6/2; 国庆·中秋 10/1–10/8, 9/28 (Sun) and 10/11 (Sat) worked.
    /// </summary>
    public static CalendarYear Year2025 { get; } = new Notice(2025, "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）")
        .Off(1, 1)                                      // 元旦
        .Off(1, 28, 2, 4).Work(1, 26).Work(2, 8)        // 春节
        .Off(4, 4, 4, 6)                                // 清明节
        .Off(5, 1, 5, 5).Work(4, 27)                    // 劳动节
        .Off(5, 31, 6, 2)                               // 端午节
        .Off(10, 1, 10, 8).Work(9, 28).Work(10, 11)     // 国庆节、中秋节
        .Build();

    /// <summary>
    /// 2026: 国务院办公厅关于2026年部分节假日安排的通知, dated 4 November 2025 (published by Xinhua the same day).
    /// 元旦 1/1–1/3, 1/4 (Sun) worked; 春节 2/15–2/23, 2/14 (Sat) and 2/28 (Sat) worked; 清明 4/4–4/6;
    /// 劳动节 5/1–5/5, 5/9 (Sat) worked; 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7, 9/20 (Sun) and 10/10 (Sat) worked.
    /// </summary>
    // verify against the published notice: the document number 国办发明电〔2025〕7号 is from memory; the dates and the
    // notice's date (2025-11-04) were checked against the text Xinhua published.
    public static CalendarYear Year2026 { get; } = new Notice(2026, "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）")
        .Off(1, 1, 1, 3).Work(1, 4)                     // 元旦
        .Off(2, 15, 2, 23).Work(2, 14).Work(2, 28)      // 春节
        .Off(4, 4, 4, 6)                                // 清明节
        .Off(5, 1, 5, 5).Work(5, 9)                     // 劳动节
        .Off(6, 19, 6, 21)                              // 端午节
        .Off(9, 25, 9, 27)                              // 中秋节
        .Off(10, 1, 10, 7).Work(9, 20).Work(10, 10)     // 国庆节
        .Build();

    /// <summary>Every shipped year, by year.</summary>
    public static IReadOnlyList<CalendarYear> All { get; } = [Year2022, Year2023, Year2024, Year2025, Year2026];

    /// <summary>Writes a notice down as it reads: each holiday block, then the weekend days worked for it.</summary>
    private sealed class Notice(int year, string source)
    {
        private readonly List<DateOnly> _holidays = [];
        private readonly List<DateOnly> _makeUp = [];

        public Notice Off(int month, int day) => Off(month, day, month, day);

        public Notice Off(int fromMonth, int fromDay, int toMonth, int toDay)
        {
            for (var date = new DateOnly(year, fromMonth, fromDay); date <= new DateOnly(year, toMonth, toDay); date = date.AddDays(1))
                _holidays.Add(date);
            return this;
        }

        public Notice Work(int month, int day)
        {
            _makeUp.Add(new DateOnly(year, month, day));
            return this;
        }

        public CalendarYear Build() => new(year, _holidays.Order().ToList(), _makeUp.Order().ToList(), source, Revision: 1);
    }
}
