"""Word lists the demo draws from. Place stems are common rural Sichuan names, not a copy of real villages."""

from __future__ import annotations

import random

# Weights roughly follow the national surname frequency, so a village list looks like a real one.
SURNAMES: list[tuple[str, int]] = [
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 52),
    ("陈", 45),
    ("杨", 32),
    ("黄", 24),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 15),
    ("孙", 14),
    ("马", 13),
    ("朱", 12),
    ("胡", 11),
    ("郭", 11),
    ("何", 10),
    ("林", 9),
    ("罗", 9),
    ("高", 9),
    ("郑", 8),
    ("梁", 7),
    ("谢", 7),
    ("唐", 7),
    ("蒋", 6),
    ("冯", 6),
    ("邓", 6),
    ("曾", 6),
    ("彭", 5),
    ("肖", 5),
    ("蔡", 4),
    ("袁", 4),
    ("任", 4),
    ("蒲", 3),
    ("文", 3),
    ("魏", 3),
    ("廖", 3),
    ("向", 2),
    ("谭", 2),
    ("严", 2),
]

MALE_CHARS = "建国明华强军平伟勇福德志永春林海清贵成文兴全发云安富刚良忠昌祥正洪学友明光树德兵涛"
FEMALE_CHARS = "秀英兰芳玉珍凤琼华梅丽霞红桂萍淑翠琴素慧娟莉燕芬敏丹婷雪晓蓉碧群"

TOWNSHIP_STEMS = [
    "永兴",
    "老池",
    "桂花",
    "河沙",
    "唐家",
    "龙凤",
    "保升",
    "磨溪",
    "白马",
    "金桥",
    "凤凰",
    "青石",
    "长乐",
    "三星",
    "新华",
    "双河",
    "太平",
    "高峰",
    "天福",
    "玉峰",
    "金鱼",
    "安宁",
    "复兴",
    "柏树",
    "龙泉",
    "大石",
    "黄桷",
    "明月",
    "白鹤",
    "回马",
    "常乐",
    "拦江",
    "聚贤",
    "宝梵",
    "吉祥",
    "卓筒",
    "蓬南",
    "文井",
    "明星",
]

VILLAGE_STEMS = [
    "石佛",
    "堰塘",
    "花园",
    "观音",
    "大桥",
    "柳树",
    "竹林",
    "梨园",
    "青龙",
    "白果",
    "双桥",
    "新店",
    "庙湾",
    "水井",
    "松林",
    "桃园",
    "杨柳",
    "金龙",
    "马鞍",
    "狮子",
    "碑垭",
    "桥亭",
    "龙滩",
    "仁和",
    "永安",
    "太和",
    "兴隆",
    "万福",
    "石坝",
    "黄泥",
    "油房",
    "枣树",
    "楠木",
    "白鹤",
    "菩提",
    "伏龙",
    "天堂",
    "红岩",
    "长岭",
    "九龙",
    "高坪",
    "乐丰",
    "五里",
    "七星",
    "玉泉",
    "朝阳",
    "清河",
    "光明",
    "土桥",
    "凉水",
    "鹿鸣",
    "金鸡",
]

# 2018 county words; the zone keeps its full name in texts.
COUNTY_SHORT = {
    "510903": "船山",
    "510904": "安居",
    "510921": "蓬溪",
    "510922": "射洪",
    "510923": "大英",
    "510971": "经开",
}

PRODUCTS = [
    "蔬菜",
    "柑橘",
    "生猪",
    "黑山羊",
    "莲藕",
    "矮晚柚",
    "花椒",
    "食用菌",
    "土鸡",
    "青花椒",
    "红薯",
    "黑玉米",
    "瓜蒌",
    "核桃",
    "粮油",
    "生态鱼",
    "鸭梨",
    "葡萄",
]

HOUSEHOLD_PRODUCTS = ["土鸡蛋", "腊肉", "红苕粉", "菜籽油", "土鸡", "时令蔬菜", "柑橘", "花生", "红薯"]


def pick_surname(rng: random.Random) -> str:
    return rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]


def given_name(rng: random.Random, *, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.25:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng: random.Random, *, male: bool, surname: str | None = None) -> str:
    return (surname or pick_surname(rng)) + given_name(rng, male=male)


def mobile(rng: random.Random, used: set[str]) -> str:
    """A fictional mobile number, never handed out twice in one demo."""
    while True:
        number = rng.choice(["138", "139", "135", "136", "137", "158", "159", "182", "187"]) + (
            f"{rng.randrange(10**8):08d}"
        )
        if number not in used:
            used.add(number)
            return number
