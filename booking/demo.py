"""Demo data: the catalog, eight enterprises with their categories (a controller group
among them), two of them with people, one operator per platform, a park admin, and a
few bookings. For demonstrations only; production start-up never loads it.

Every demo account's password is ``parkbench-demo``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking import clock
from booking.accounts import service as accounts
from booking.accounts.categories import EnterpriseCategory as C
from booking.accounts.roles import Role
from booking.accounts.rules import uscc_check_character
from booking.accounts.tables import Account, Enterprise, QualificationGrant
from booking.errors import DomainError
from platforms.catalog_file import load_catalog
from platforms.choices import Tier
from platforms.tables import Platform, Qualification, Resource

DEMO_PASSWORD = "parkbench-demo"
DEMO_DOMAIN = "demo.parkbench.test"


def _uscc(body17: str) -> str:
    return body17 + uscc_check_character(body17)


# The Xinlian group: a holding company controls enterprise a and two siblings, so the
# register shows a controller group; the others show the categories the park uses.
XINLIAN_GROUP = _uscc("91320594MA1PK0000")

ENTERPRISES = [
    {"key": "a", "name_zh": "苏州芯联微电子有限公司", "name_en": "Suzhou Xinlian Microelectronics Co., Ltd.",
     "uscc": _uscc("91320594MA1PK0001"), "tier": Tier.PARK, "categories": (C.SME, C.SPECIALISED, C.HIGH_TECH),
     "controller_uscc": XINLIAN_GROUP,
     "contact_name": "王磊", "contact_email": f"admin.a@{DEMO_DOMAIN}", "contact_phone": "+86 512 6288 0101"},
    {"key": "b", "name_zh": "上海衡准检测技术有限公司", "name_en": "Shanghai Hengzhun Testing Technology Co., Ltd.",
     "uscc": _uscc("91310115MA1HB0002"), "tier": Tier.EXTERNAL, "categories": (C.SME,),
     "contact_name": "Li Na", "contact_email": f"admin.b@{DEMO_DOMAIN}", "contact_phone": "+86 21 5080 0202"},
    {"key": "group", "name_zh": "芯联控股集团有限公司", "name_en": "Xinlian Holding Group Co., Ltd.",
     "uscc": XINLIAN_GROUP, "tier": Tier.PARK, "categories": (C.LISTED,)},
    {"key": "xl-test", "name_zh": "苏州芯联封装测试有限公司", "name_en": "Suzhou Xinlian Packaging and Test Co., Ltd.",
     "uscc": _uscc("91320594MA1PK0003"), "tier": Tier.PARK, "categories": (C.SPECIALISED, C.LITTLE_GIANT),
     "controller_uscc": XINLIAN_GROUP},
    {"key": "xl-soft", "name_zh": "苏州芯联设计软件有限公司", "name_en": "Suzhou Xinlian EDA Software Co., Ltd.",
     "uscc": _uscc("91320594MA1PK0004"), "tier": Tier.PARK, "categories": (C.TECH_SME, C.HIGH_TECH),
     "controller_uscc": XINLIAN_GROUP},
    {"key": "bio", "name_zh": "苏州博睿生物医药科技有限公司", "name_en": "Suzhou Borui Biopharma Technology Co., Ltd.",
     "uscc": _uscc("91320594MA1BR0005"), "tier": Tier.PARK, "categories": (C.TECH_SME, C.HIGH_TECH, C.UNICORN)},
    {"key": "robot", "name_zh": "昆山智航机器人股份有限公司", "name_en": "Kunshan Zhihang Robotics Inc.",
     "uscc": _uscc("91320583MA1XH0006"), "tier": Tier.PARK, "categories": (C.SINGLE_CHAMPION, C.HIGH_TECH)},
    {"key": "uni", "name_zh": "苏州大学微纳研究院", "name_en": "Soochow University Institute of Micro-Nano Technology",
     "uscc": _uscc("12320000MB1HD0007"), "tier": Tier.ACADEMIC, "categories": ()},
]

PEOPLE = [
    ("engineer.a", Role.ENGINEER, "a", "张伟 Zhang Wei", None),
    ("admin.a", Role.ENTERPRISE_ADMIN, "a", "王磊 Wang Lei", None),
    ("engineer.b", Role.ENGINEER, "b", "Emily Chen 陈怡", "en"),
    ("admin.b", Role.ENTERPRISE_ADMIN, "b", "李娜 Li Na", None),
    ("ops.ic", Role.OPERATOR, None, "IC 平台运营 IC Ops", None),
    ("ops.mems", Role.OPERATOR, None, "MEMS 平台运营 MEMS Ops", None),
    ("ops.bio", Role.OPERATOR, None, "生物医药运营 Bio Ops", None),
    ("ops.soft", Role.OPERATOR, None, "软件平台运营 Software Ops", None),
    ("ops.mfg", Role.OPERATOR, None, "智能制造运营 Manufacturing Ops", None),
    ("park", Role.PARK_ADMIN, None, "园区管委会 Park Admin", None),
]

# (engineer, resource code, days ahead, local start hour, hours, quantity)
DEMO_BOOKINGS = [
    ("engineer.a", "mems-stepper-i-line", 2, 9, 2, 1),
    ("engineer.a", "mems-drie", 3, 14, 2, 1),
    ("engineer.a", "ic-eda-verification", 1, 10, 4, 3),
    ("engineer.a", "bio-lcmsms", 4, 10, 3, 1),
    ("engineer.b", "bio-hplc", 2, 13, 2, 1),
    ("engineer.b", "soft-device-farm", 1, 9, 3, 5),
    ("engineer.b", "mfg-cobot-cell", 5, 13, 4, 1),
]


async def is_empty() -> bool:
    return not await Account.exists().where(Account.email.like(f"%@{DEMO_DOMAIN}")) and \
        await Account.count() == 0


async def load_demo(only_if_empty: bool = False) -> dict[str, int]:
    if only_if_empty and not await is_empty():
        return {"skipped": 1}
    counts = await load_catalog()
    enterprise_ids: dict[str, int] = {}
    for spec in ENTERPRISES:
        data = {k: v for k, v in spec.items() if k != "key"}
        row = await Enterprise.select(Enterprise.id).where(Enterprise.uscc == data["uscc"]).first()
        enterprise_ids[spec["key"]] = row["id"] if row else await accounts.create_enterprise(**data)
    platform_codes = {p["code"] for p in await Platform.select(Platform.code)}
    account_ids: dict[str, int] = {}
    for local_part, role, enterprise, name, locale in PEOPLE:
        email = f"{local_part}@{DEMO_DOMAIN}"
        row = await Account.select(Account.id).where(Account.email == email).first()
        if row:
            account_ids[local_part] = row["id"]
            continue
        operated = [local_part.split(".")[1]] if role == Role.OPERATOR else []
        account_ids[local_part] = await accounts.create_account(
            email=email, password=DEMO_PASSWORD, role=role, display_name=name,
            enterprise_id=enterprise_ids[enterprise] if enterprise else None,
            platform_codes=[p for p in operated if p in platform_codes], locale=locale,
        )
    await _grant_demo_qualifications(account_ids)
    booked = await _demo_bookings(account_ids)
    return {**counts, "enterprises": len(enterprise_ids), "accounts": len(account_ids),
            "bookings": booked}


async def _grant_demo_qualifications(account_ids: dict[str, int]) -> None:
    """The demo engineers hold every qualification, so any demo booking can go through."""
    moment = clock.now()
    qualifications = await Qualification.select(Qualification.id, Qualification.valid_days)
    for person in ("engineer.a", "engineer.b", "admin.a", "admin.b"):
        held = await accounts.held_qualification_ids(account_ids[person], moment)
        rows = [
            QualificationGrant(account=account_ids[person], qualification=q["id"],
                               granted_at=moment,
                               expires_at=moment + timedelta(days=q["valid_days"]))
            for q in qualifications if q["id"] not in held
        ]
        if rows:
            await QualificationGrant.insert(*rows)


async def _demo_bookings(account_ids: dict[str, int]) -> int:
    from booking.accounts.service import load_principal
    from booking.reservations import service as reservations
    from booking.reservations.availability import availability
    from booking.reservations.policies import policy_and_row
    from calendars.intervals import Interval

    created = 0
    for person, code, days, hour, hours, quantity in DEMO_BOOKINGS:
        resource = await Resource.select(Resource.id).where(Resource.code == code).first()
        if resource is None:
            continue
        principal = await load_principal(account_ids[person])
        policy, _ = await policy_and_row(resource["id"])
        local_day = (clock.now().astimezone(policy.zone) + timedelta(days=days)).date()
        # Walk forward to the first day the slot is free and open, so demo loading
        # works whatever weekday it runs on.
        for offset in range(14):
            start = datetime(local_day.year, local_day.month, local_day.day, hour,
                             tzinfo=policy.zone) + timedelta(days=offset)
            length = max(timedelta(hours=hours), policy.min_duration)
            length = min(length, policy.max_duration)
            end = start + length
            info = await availability(resource["id"], Interval(start, end))
            if not any(f.start <= start and end <= f.end for f in info["free"]):
                continue
            try:
                await reservations.create_booking(
                    principal, resource_id=resource["id"], start=start, end=end,
                    quantity=quantity, note="demo",
                )
            except DomainError:
                continue
            created += 1
            break
    return created
