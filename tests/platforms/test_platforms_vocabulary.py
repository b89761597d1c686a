"""Each vocabulary declared once: the catalog's enums, their labels in both languages,
the tuples derived from them, the catalog file and the OpenAPI schema that use them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from booking.accounts.roles import Role
from booking.invites.status import OutboxStatus
from booking.reservations.status import STATUS_LABELS, BookingStatus, WaitlistStatus, status_label
from booking.web import labels
from i18n import use_locale
from platforms import tables
from platforms.catalog_file import CATALOG_FILE, CatalogFileError, load_catalog, resource_values
from platforms.choices import (
    BillingBasis,
    Category,
    ClosureKind,
    ResourceKind,
    Tier,
    Unit,
)

VOCABULARIES = (Tier, Unit, ResourceKind, ClosureKind, BillingBasis, Category)


ZH_CATALOG = Path(__file__).resolve().parents[2] / "i18n/locales/zh_CN/LC_MESSAGES/messages.po"


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_code_has_a_label_in_both_languages(vocabulary):
    with ZH_CATALOG.open("rb") as handle:
        chinese = {m.id: m.string for m in read_po(handle) if m.id}
    msgids = vocabulary.msgids()
    assert set(msgids) == set(vocabulary.values())
    for code, msgid in msgids.items():
        assert msgid and msgid != code
        assert chinese.get(msgid), f"{vocabulary.__name__} {code!r}: no zh_CN for {msgid!r}"
        with use_locale("zh_CN"):
            assert vocabulary(code).label == chinese[msgid]


def test_a_code_outside_the_vocabulary_is_shown_as_it_is():
    assert Category.label_of("unknown-type") == "unknown-type"
    assert Tier.label_of(None) == "" and Tier.label_of("") == ""
    with use_locale("en"):
        assert Tier.label_of("academic") == "University or institute"
        assert labels.label(labels.KIND, "pool") == "Capacity pool"


def test_table_tuples_are_derived_from_the_enums():
    assert tables.TIERS == ("park", "external", "academic")
    assert tables.UNITS == ("hour", "half_day", "sample", "wafer", "seat_day", "mm2",
                            "person_day", "project")
    assert tables.KINDS == ("instrument", "pool", "service")
    assert tables.BILLING_BASES == ("actual", "booked")
    assert tables.CLOSURE_KINDS == ("maintenance", "holiday")
    assert [k.slotted for k in ResourceKind] == [True, True, False]


def test_the_seeded_catalog_speaks_only_the_vocabulary():
    data = yaml.safe_load(Path(CATALOG_FILE).read_text(encoding="utf-8"))
    resources = [r for p in data["platforms"] for r in p.get("resources", [])]
    assert {r["kind"] for r in resources} <= set(ResourceKind.values())
    assert {r.get("unit", "hour") for r in resources} <= set(Unit.values())
    assert {r["category"] for r in resources if r.get("category")} == set(Category.values())
    tiers = {t for r in resources for t in (r.get("tariffs") or {})}
    assert tiers <= set(Tier.values())


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "robot"}, "kind must be one of"),
    ({"unit": "minute"}, "unit 'minute'"),
    ({"category": "astrology"}, "category 'astrology'"),
    ({"billing": {"basis": "guessed"}}, "billing basis 'guessed'"),
])
def test_the_catalog_file_refuses_words_outside_the_vocabulary(change, message):
    spec = {"code": "r", "kind": "instrument", "name": {"zh": "仪器", "en": "Tool"}, **change}
    with pytest.raises(CatalogFileError, match=message):
        resource_values(spec, 1, {})


async def test_a_platform_zone_the_machine_lacks_is_refused(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"platforms": [
        {"code": "x", "name": {"zh": "平台", "en": "Platform"}, "timezone": "Mars/Olympus"}]}),
        encoding="utf-8")
    with pytest.raises(CatalogFileError, match="Mars/Olympus"):
        await load_catalog(path)


def test_booking_status_labels_are_one_set():
    assert set(STATUS_LABELS) == set(BookingStatus)
    with use_locale("en"):
        assert status_label("pending") == "Pending approval"
        assert labels.label(labels.STATUS, "in_use") == "Checked in"


async def test_the_openapi_shows_the_catalog_enums(client):
    schema = (await client.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    enums = {name: set(body.get("enum", [])) for name, body in components.items()}
    for vocabulary in (Tier, Unit, ResourceKind, BillingBasis, Category):
        assert set(vocabulary.values()) in enums.values(), vocabulary.__name__


async def test_catalog_api_prices_carry_enum_codes_and_exact_yuan(client):
    resources = (await client.get("/api/resources")).json()
    detail = (await client.get(f"/api/resources/{resources[0]['id']}")).json()
    assert detail["kind"] in ResourceKind.values() and detail["unit"] in Unit.values()
    for price in detail["tariffs"]:
        assert price["tier"] in Tier.values()
        assert price["price"] == f"{price['price_fen'] // 100}.{price['price_fen'] % 100:02d}"


ROOT = Path(__file__).resolve().parents[2]
# The modules that declare the words; migrations keep the codes they were written with.
DECLARING = {"booking/reservations/status.py", "booking/reservations/events.py",
             "booking/accounts/roles.py", "booking/accounts/categories.py",
             "booking/invites/status.py", "platforms/choices.py"}


def test_no_code_is_compared_as_a_string_literal():
    codes = {c.value for v in (BookingStatus, WaitlistStatus, Role, OutboxStatus, ResourceKind,
                               ClosureKind, Tier, Unit, BillingBasis) for c in v}
    word = "|".join(sorted(map(re.escape, codes)))
    literal = rf"""['"](?:{word})['"]"""
    # A comparison, a membership test or a Literal[] type naming a code by its spelling.
    pattern = re.compile(rf"(?:[!=]=\s*{literal}|{literal}\s*[!=]=|\bin\s*[\[({{]\s*{literal}"
                         rf"|Literal\[\s*{literal})")
    offenders = []
    for folder in ("booking", "platforms"):
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if (path.suffix not in (".py", ".html") or "/migrations/" in relative
                    or relative in DECLARING):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
