namespace Supervision.Domain.Inspections;

/// <summary>One result of the standard catalogue; <see cref="NeedsFollowUp"/> results open follow-up handling later.</summary>
public sealed record ResultCode(string Code, string Label, bool NeedsFollowUp, IReadOnlyList<ResultSubKind> SubKinds);

public sealed record ResultSubKind(string Code, string Label);

/// <summary>
/// The catalogue of inspection results used by the national enterprise credit information publicity system (国家企业信用信息
/// 公示系统), as data with a version: provinces differ, and a result records the catalogue version it was chosen from.
/// </summary>
public sealed record ResultCatalogue(string Version, IReadOnlyList<ResultCode> Codes)
{
    public ResultCode? Find(string? code) => Codes.FirstOrDefault(c => c.Code == code);

    /// <summary>The working reference list of the inspections issue (cn-2024.1).</summary>
    public static readonly ResultCatalogue National = new("cn-2024.1",
    [
        new("no-problem", "未发现问题", false, []),
        new("problem-pending", "发现问题待后续处理", true,
        [
            new("undisclosed-information", "未按规定公示应当公示的信息"),
            new("false-disclosure", "公示信息隐瞒真实情况、弄虚作假"),
            new("unreachable", "通过登记的住所（经营场所）无法联系"),
            new("other-violation", "违反其他规定"),
        ]),
        new("problem-rectified", "发现问题已责令改正", false, []),
        new("no-activity", "未发现开展本次抽查涉及的经营活动", false, []),
        new("closed", "已关闭停业或正在组织清算", false, []),
        new("uncooperative", "不配合检查情节严重", true, []),
        new("status-deregistered", "注销", false, []),
        new("status-revoked", "吊销", false, []),
        new("status-cancelled", "撤销", false, []),
        new("status-moved-out", "迁出", false, []),
    ]);
}
