from yigou.core.errors import DomainError
from yigou.core.tabular import read_table
from yigou.regions.enums import Level
from yigou.regions.models import Region, prefix_of
from yigou.regions.selectors import subtree
from yigou.regions.services import import_regions, load_national_list


def test_prefix_of_each_level():
    assert [
        prefix_of(c) for c in ("510000000000", "510900000000", "510903000000", "510903101000", "510903101001")
    ] == [
        "51",
        "5109",
        "510903",
        "510903101",
        "510903101001",
    ]


def test_national_list_loads_the_2018_divisions_of_suining(db):
    created = load_national_list()
    assert created == 3511 - 287  # the file's rows less its 287 placeholders (市辖区, 县)
    suining = Region.objects.get(code="510900000000")
    assert (suining.name, suining.level, suining.parent_id) == ("遂宁市", Level.CITY, "510000000000")
    assert list(suining.children.values_list("name", flat=True)) == [
        "船山区",
        "安居区",
        "蓬溪县",
        "射洪县",
        "大英县",
    ]
    # Districts of a municipality hang straight under the province; placeholders like 市辖区 are not loaded.
    assert Region.objects.get(code="110101000000").parent_id == "110000000000"
    assert not Region.objects.filter(name="市辖区").exists()
    assert load_national_list() == 0


def test_subtree_is_a_code_prefix(world):
    assert set(subtree("510903000000").filter(level=Level.VILLAGE).values_list("name", flat=True)) == {
        "永兴村",
        "石佛村",
        "老池村",
    }


CSV = (
    "code,name,parent_code,level,kind,poor\n"
    "510904102000,保石镇,510904000000,township,admin,\n"
    "510904102001,保石村,510904102000,village,admin,2014\n"
    "510904102002,白马村,510904102000,村,admin,否\n"
)


def test_import_adds_townships_and_villages_with_poor_flags(world):
    report = import_regions(
        actor=world.users["anju"], table=read_table(CSV.encode("gbk"), "r.csv"), dry_run=False
    )
    assert report.ok and report.written == 3
    village = Region.objects.get(code="510904102001")
    assert (village.level, village.is_poor, village.poor_since, village.parent_id) == (
        Level.VILLAGE,
        True,
        2014,
        "510904102000",
    )
    assert Region.objects.get(code="510904102002").is_poor is False


def test_import_with_bad_rows_reports_them_and_writes_nothing(world):
    bad = (
        CSV
        + "51090410200X,坏村,510904102000,village,admin,\n510903103000,越界镇,510903000000,township,admin,\n"
    )
    before = Region.objects.count()
    report = import_regions(actor=world.users["anju"], table=read_table(bad.encode(), "r.csv"), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(5, "code"), (6, "parent_code")]
    assert report.errors[0].message == "区划代码应为12位数字"
    assert report.errors[1].message == "该记录不在您的管辖区域内。"
    assert Region.objects.count() == before


def test_import_refuses_a_file_without_the_columns(world):
    try:
        import_regions(
            actor=world.users["anju"], table=read_table(b"code,name\n1,2\n", "r.csv"), dry_run=True
        )
    except DomainError as err:
        assert err.message == "缺少必需的列：parent_code、level、kind"
    else:
        raise AssertionError("expected a DomainError")
