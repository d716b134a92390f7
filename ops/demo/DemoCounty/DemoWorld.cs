using Supervision.Domain.Directories;
using Supervision.Domain.Organization;

namespace Supervision.Demo;

/// <summary>
/// The demo county's world, from the seed documents: 石家庄市 and its 鹿泉区 (石鹿市监〔2026〕6号, the 2026 plan of the
/// 鹿泉 market regulation bureau), with their market regulation bureaus and partner departments. Everything here is fixed
/// data or generated from a number, so every run asks for the same things and finds them by their natural keys.
/// </summary>
public static class DemoWorld
{
    public const string ProvinceCode = "130000";
    public const string CityCode = "130100";
    public const string CountyCode = "130110";

    public static readonly (string Code, string Name)[] Regions =
        [(ProvinceCode, "河北省"), (CityCode, "石家庄市"), (CountyCode, "鹿泉区")];

    public sealed record DemoDepartment(string Code, string Name, DepartmentKind Kind, string RegionCode)
    {
        public Guid Id => Department.IdFor(Code);
    }

    public static readonly DemoDepartment CityMarket = new("SJZ-SCJGJ", "石家庄市市场监督管理局", DepartmentKind.MarketRegulation, CityCode);
    public static readonly DemoDepartment CityCommerce = new("SJZ-SWJ", "石家庄市商务局", DepartmentKind.Commerce, CityCode);
    public static readonly DemoDepartment CountyMarket = new("LQ-SCJGJ", "石家庄市鹿泉区市场监督管理局", DepartmentKind.MarketRegulation, CountyCode);
    public static readonly DemoDepartment CountyCommerce = new("LQ-SWJ", "石家庄市鹿泉区商务局", DepartmentKind.Commerce, CountyCode);
    public static readonly DemoDepartment CountyTax = new("LQ-SWUJ", "国家税务总局石家庄市鹿泉区税务局", DepartmentKind.Other, CountyCode);
    /// <summary>The discipline inspection office (纪检) that supervises the county bureau's draws and traces its case histories.</summary>
    public static readonly DemoDepartment CountyDiscipline = new("LQ-JJJCZ", "鹿泉区纪委监委派驻区市场监督管理局纪检监察组", DepartmentKind.Other, CountyCode);

    public static readonly DemoDepartment[] Departments = [CityMarket, CityCommerce, CountyMarket, CountyCommerce, CountyTax, CountyDiscipline];

    public sealed record DemoMatter(string Code, string Name, string LegalBasis, DemoDepartment Owner, string Content, MatterCategory Category, decimal? RatioCap)
    {
        public Guid Id => InspectionMatter.IdFor(Code);
    }

    public static readonly DemoMatter FoodService = new("LQ-SC-SP01", "餐饮服务食品安全监督检查", "《中华人民共和国食品安全法》第一百一十条", CountyMarket,
        "许可证件、从业人员健康管理、进货查验记录、食品贮存和加工制作过程", MatterCategory.General, 20m);
    public static readonly DemoMatter AnnualReports = new("LQ-SC-GS01", "企业公示信息情况检查", "《企业信息公示暂行条例》第十四条", CountyMarket,
        "企业年度报告公示信息、即时公示信息的真实性", MatterCategory.General, 20m);
    public static readonly DemoMatter PrepaidCards = new("LQ-SW-YFK01", "单用途商业预付卡发卡企业检查", "《单用途商业预付卡管理办法（试行）》第三十五条", CountyCommerce,
        "发卡企业备案、预收资金余额、资金存管情况", MatterCategory.General, 20m);

    public static readonly DemoMatter[] Matters = [FoodService, AnnualReports, PrepaidCards];

    public sealed record DemoInspector(string StaffCode, string Name, DemoDepartment Department, string Post, string Certificate)
    {
        public Guid Id => Inspector.IdFor(StaffCode);
    }

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];
    private static readonly string[] GivenNames = ["建华", "晓燕", "志强", "丽娜", "海涛", "秀英", "立新", "春梅", "国庆", "文静", "振宇", "雅琴"];

    /// <summary>Eight enforcement officers of the county bureau and four of the county commerce bureau, each with a 河北省行政执法证.</summary>
    public static readonly DemoInspector[] Inspectors =
    [
        .. Enumerable.Range(1, 8).Select(n => new DemoInspector($"LQSC{n:D3}", Surnames[n - 1] + GivenNames[n - 1], CountyMarket, n <= 2 ? "执法大队队长" : "执法人员", $"冀执13011000{n:D4}")),
        .. Enumerable.Range(1, 4).Select(n => new DemoInspector($"LQSW{n:D3}", Surnames[n + 7] + GivenNames[n + 7], CountyCommerce, "商务综合执法人员", $"冀执13011050{n:D4}")),
    ];

    /// <summary>The one declared conflict of interest: this inspector's spouse is the legal representative of target number <see cref="ConflictTargetNumber"/>.</summary>
    public static DemoInspector ConflictedInspector => Inspectors[2];
    public const int ConflictTargetNumber = 7;

    public const int TargetCount = 3000;
    public const int DrawnTargets = 10;
    public const string PlanName = "鹿泉区市场监督管理局{0}年度“双随机、一公开”抽查计划";
    public const string JointTaskName = "餐饮服务单位食品安全和预付卡经营部门联合抽查";
    public const string AnnualReportTaskName = "企业公示信息定向抽查";
    /// <summary>The witnessed randomness: balls drawn in public at the bureau's hall, under the eyes of the 纪检 office.</summary>
    public const string WitnessSource = "witness";
    public const string WitnessValue = "07 23 41 58 12";

    /// <summary>
    /// The discipline office's 32 bytes. A real office generates and keeps its own; the demo derives them from a fixed phrase so
    /// that a run interrupted after the commitment can still reveal the value it committed to.
    /// </summary>
    public static string DisciplineContribution =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("demo county 鹿泉区 discipline contribution"u8.ToArray()));

    // ---------- The target directory: generated from its number, the same every run.

    private static readonly string[] TradeNames =
        ["鹿源", "抱犊", "封龙", "获鹿", "太行", "滹沱", "铜冶", "寺家", "上庄", "宜安", "黄壁", "白鹿", "泉源", "兴旺", "华泰", "鑫诚", "永盛", "德润", "嘉禾", "康宁",
         "瑞丰", "惠民", "福满", "金谷", "润泽", "恒信", "隆昌", "乐家", "和顺", "佳美", "万通", "新源", "同福", "安康", "晨光", "云峰", "青山", "绿野", "祥和", "广源"];
    private static readonly (string Industry, string Noun)[] Trades =
        [("H62", "餐饮管理"), ("H62", "餐饮服务"), ("F52", "商贸"), ("F52", "超市"), ("C13", "食品"), ("C14", "食品加工"), ("F51", "农产品销售"), ("L72", "商务服务")];
    private static readonly string[] Towns = ["获鹿镇", "铜冶镇", "寺家庄镇", "上庄镇", "李村镇", "宜安镇", "黄壁庄镇", "大河镇", "山尹村镇", "白鹿泉乡", "上寨乡"];
    private static readonly string[] Produce = ["蔬菜种植", "果品", "养殖", "核桃", "小米"];

    public sealed record DemoTarget(int Number, string CreditCode, string Name, TargetKind Kind, string IndustryCode, string Address, DateOnly RegisteredOn, TargetScale Scale);

    /// <summary>Target <paramref name="n"/> (1-based): an enterprise, a sole trader (every eighth) or a farmers' cooperative (every twenty-fifth).</summary>
    public static DemoTarget Target(int n)
    {
        var kind = n % 25 == 0 ? TargetKind.FarmerCooperative : n % 8 == 0 ? TargetKind.SoleTrader : TargetKind.Enterprise;
        var trade = TradeNames[n % TradeNames.Length] + TradeNames[(n / TradeNames.Length) % TradeNames.Length];
        var (industry, noun) = Trades[(n * 7) % Trades.Length];
        var name = kind switch
        {
            TargetKind.FarmerCooperative => $"石家庄市鹿泉区{trade}{Produce[n % Produce.Length]}专业合作社",
            TargetKind.SoleTrader => $"鹿泉区{trade}{noun}店",
            _ => $"石家庄{trade}{noun}有限公司",
        };
        if (kind == TargetKind.FarmerCooperative) industry = "A01";
        var address = $"河北省石家庄市鹿泉区{Towns[n % Towns.Length]}{n % 97 + 1}号";
        return new DemoTarget(n, CreditCodeFor(n, kind), name, kind, industry, address, new DateOnly(2012, 1, 1).AddDays(n * 3 % 4700),
            n % 50 == 0 ? TargetScale.Medium : n % 5 == 0 ? TargetScale.Small : TargetScale.Micro);
    }

    /// <summary>
    /// A unified social credit code (GB 32100-2015): 9 (market regulation) + the kind (1 enterprise, 2 sole trader, 3 cooperative)
    /// + the county's code + a nine-character organisation code whose last character is its GB 11714 check, then the GB 32100 check.
    /// </summary>
    public static string CreditCodeFor(int n, TargetKind kind)
    {
        var kindDigit = kind switch { TargetKind.SoleTrader => '2', TargetKind.FarmerCooperative => '3', _ => '1' };
        var organisation = $"MA{n:D6}";
        var first17 = $"9{kindDigit}{CountyCode}{organisation}{OrganisationCheck(organisation)}";
        return first17 + CreditCode.CheckCharacterFor(first17);
    }

    /// <summary>GB 11714-1997: weights 3 7 9 10 5 8 4 2 over the eight characters (digits 0–9, letters A=10 … Z=35), check = 11 − sum mod 11.</summary>
    public static char OrganisationCheck(string eight)
    {
        int[] weights = [3, 7, 9, 10, 5, 8, 4, 2];
        var sum = eight.Select((c, i) => (char.IsDigit(c) ? c - '0' : c - 'A' + 10) * weights[i]).Sum();
        return (11 - sum % 11) switch { 10 => 'X', 11 => '0', var d => (char)('0' + d) };
    }

    /// <summary>The whole directory as the import CSV (UTF-8): the same bytes every run, so a second import writes nothing.</summary>
    public static string TargetsCsv()
    {
        var csv = new System.Text.StringBuilder("credit_code,name,kind,industry_code,region_code,address,registered_on,scale,status\n");
        for (var n = 1; n <= TargetCount; n++)
        {
            var t = Target(n);
            csv.Append($"{t.CreditCode},{t.Name},{t.Kind},{t.IndustryCode},{CountyCode},{t.Address},{t.RegisteredOn:yyyy-MM-dd},{t.Scale},Operating\n");
        }
        return csv.ToString();
    }
}
