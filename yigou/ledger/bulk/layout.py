"""The documented import layout: one row per purchase line; rows sharing a 外部编号 form one purchase."""

from __future__ import annotations

from ..enums import Attribution, BuyerKind, Channel, LineSource


def _choices(enum: type) -> dict[str, str]:
    """Accept the Chinese label or the code of each choice."""
    mapping = {choice.label: choice.value for choice in enum}  # type: ignore[attr-defined]
    mapping.update({choice.value: choice.value for choice in enum})  # type: ignore[attr-defined]
    return mapping


COLUMNS: list[tuple[str, bool, str]] = [
    # header, required, what it holds
    (
        "外部编号",
        True,
        "来源系统中的购买编号；同一编号的多行为同一笔购买的多条明细；重复导入同一编号不会重复记账",
    ),
    ("日期", True, "2018-04-01、2018/4/1 或 2018年4月1日"),
    ("购买方类型", True, "帮扶单位、帮扶干部、机关食堂、民营企业、社会组织、个人"),
    ("购买方", False, "单位名称或统一社会信用代码；帮扶干部写“单位名称/干部姓名”；个人写姓名（可空）"),
    ("渠道", True, "销售网点、832平台、其他电商平台、食堂采购、现场采购、合同供货"),
    ("网点", False, "渠道为销售网点时填写网点名称（销售方所在县内）"),
    ("销售方", True, "农户写户编号；合作社、企业、家庭农场写统一社会信用代码"),
    ("产品", True, "产品名称"),
    ("品类", False, "如 粮油、蔬菜、畜禽"),
    ("数量", True, "大于0的数"),
    ("单位", True, "如 公斤、斤、只"),
    ("单价", True, "元，最多两位小数"),
    ("金额", False, "元；填写时须等于数量×单价"),
    ("产品来源", False, "农户自产、合作社产品、企业产品；不填按销售方类型"),
    ("分配方式", False, "经营主体销售时：逐户录入、按带贫联结户平均分配、按合作社社员股份分配"),
    ("受益农户", False, "逐户录入时在该笔购买的第一行填写“户编号:金额;户编号:金额”"),
]
REQUIRED = [name for name, required, _ in COLUMNS if required]
HEADERS = [name for name, _, _ in COLUMNS]

BUYER_KINDS = _choices(BuyerKind)
CHANNELS = _choices(Channel)
SOURCES = _choices(LineSource)
RULES = _choices(Attribution)
