"""Loading the catalog from ``platforms/seed/catalog.yaml``, idempotently.

Rows are keyed by ``code``: a second load updates what changed and adds what is
new; it never deletes resources (bookings may point at them), but replaces each
resource's opening hours and tariffs with what the file says.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import yaml

from calendars.zones import DEFAULT_ZONE_NAME, is_zone_name
from platforms.choices import BillingBasis, Category, ResourceKind, Tier, Unit
from platforms.pricing import PriceError, yuan_to_fen
from platforms.tables import (
    OpeningHours,
    Platform,
    Qualification,
    Resource,
    Tariff,
)

CATALOG_FILE = Path(__file__).resolve().parent / "seed" / "catalog.yaml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CatalogFileError(ValueError):
    """The catalog file says something the loader cannot take; names where."""


def price_to_fen(text: str | int | float, where: str) -> int:
    try:
        return yuan_to_fen(str(text))
    except PriceError as exc:
        raise CatalogFileError(
            f"{where}: price {text!r} must be yuan >= 0 with at most 2 decimals") from exc


def parse_span(span: str, where: str) -> tuple[time, time]:
    try:
        opens_text, closes_text = span.split("-")
        opens = time.fromisoformat(opens_text.strip())
        closes_text = closes_text.strip()
        closes = time(0) if closes_text == "24:00" else time.fromisoformat(closes_text)
    except ValueError as exc:
        raise CatalogFileError(f"{where}: opening span {span!r} is not HH:MM-HH:MM") from exc
    if closes != time(0) and closes <= opens:
        raise CatalogFileError(f"{where}: span {span!r} closes before it opens")
    return opens, closes


def _zone_name(spec: dict, where: str) -> str:
    name = spec.get("timezone", DEFAULT_ZONE_NAME)
    if not is_zone_name(name):
        raise CatalogFileError(f"{where}: unknown time zone {name!r}")
    return name


def _text(pair: dict | None, lang: str) -> str:
    return (pair or {}).get(lang, "") or ""


def resource_values(spec: dict[str, Any], platform_id: int, qualification_ids: dict[str, int]) -> dict:
    where = f"resource {spec.get('code')!r}"
    kind = spec.get("kind")
    if kind not in ResourceKind.values():
        raise CatalogFileError(f"{where}: kind must be one of {ResourceKind.values()}")
    unit = spec.get("unit", Unit.HOUR)
    if unit not in Unit.values():
        raise CatalogFileError(f"{where}: unit {unit!r} is not one of {Unit.values()}")
    category = spec.get("category", "")
    if category and category not in Category.values():
        raise CatalogFileError(f"{where}: category {category!r} is not declared in "
                               "platforms.choices.Category")
    billing = spec.get("billing") or {}
    basis = billing.get("basis", BillingBasis.ACTUAL)
    if basis not in BillingBasis.values():
        raise CatalogFileError(f"{where}: billing basis {basis!r} is not one of "
                               f"{BillingBasis.values()}")
    policy = spec.get("policy") or {}
    qualification = spec.get("qualification")
    if qualification and qualification not in qualification_ids:
        raise CatalogFileError(f"{where}: unknown qualification {qualification!r}")
    capacity = int(spec.get("capacity", 1))
    if kind == ResourceKind.INSTRUMENT and capacity != 1:
        raise CatalogFileError(f"{where}: an instrument has capacity 1")
    if capacity < 1:
        raise CatalogFileError(f"{where}: capacity must be at least 1")
    location = spec.get("location") or {}
    return {
        "platform": platform_id,
        "kind": str(kind),
        "category": str(category),
        "name_zh": _text(spec.get("name"), "zh"),
        "name_en": _text(spec.get("name"), "en"),
        "description_zh": _text(spec.get("description"), "zh").strip(),
        "description_en": _text(spec.get("description"), "en").strip(),
        "building_zh": _text(location.get("building"), "zh"),
        "building_en": _text(location.get("building"), "en"),
        "room": str(location.get("room", "")),
        "capacity": capacity,
        "capacity_unit_zh": _text(spec.get("capacity_unit"), "zh"),
        "capacity_unit_en": _text(spec.get("capacity_unit"), "en"),
        "unit": str(unit),
        "increment_minutes": int(billing.get("increment_minutes", 30)),
        "minimum_minutes": int(billing.get("minimum_minutes", 0)),
        "billing_basis": str(basis),
        "late_cancel_percent": int(billing.get("late_cancel_percent", 0)),
        "no_show_percent": int(billing.get("no_show_percent", 0)),
        "slot_minutes": int(policy.get("slot_minutes", 30)),
        "min_duration_minutes": int(policy.get("min_duration_minutes", 30)),
        "max_duration_minutes": int(policy.get("max_duration_minutes", 480)),
        "min_notice_minutes": int(policy.get("min_notice_minutes", 0)),
        "max_advance_days": int(policy.get("max_advance_days", 60)),
        "buffer_minutes": int(policy.get("buffer_minutes", 0)),
        "approval_required": bool(policy.get("approval_required", False)),
        "cancel_cutoff_hours": int(policy.get("cancel_cutoff_hours", 24)),
        "no_show_grace_minutes": int(policy.get("no_show_grace_minutes", 15)),
        "pending_hold_minutes": int(policy.get("pending_hold_minutes", 1440)),
        "quota_hours_per_week": policy.get("quota_hours_per_week"),
        "lead_time_days": spec.get("lead_time_days"),
        "qualification": qualification_ids.get(qualification) if qualification else None,
    }


async def _upsert(table, code: str, values: dict) -> int:
    existing = await table.select(table.id).where(table.code == code).first()
    if existing:
        await table.update(values).where(table.id == existing["id"])
        return existing["id"]
    row = table(code=code, **values)
    await row.save()
    return row.id


async def load_catalog(path: Path = CATALOG_FILE) -> dict[str, int]:
    """Load or refresh the catalog; returns counts of what the file holds."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))  # noqa: ASYNC240 - a small local file
    platforms = {p["code"]: p for p in data.get("platforms", [])}
    platform_ids: dict[str, int] = {}
    for position, (code, spec) in enumerate(platforms.items()):
        platform_ids[code] = await _upsert(Platform, code, {
            "name_zh": _text(spec.get("name"), "zh"),
            "name_en": _text(spec.get("name"), "en"),
            "description_zh": _text(spec.get("description"), "zh").strip(),
            "description_en": _text(spec.get("description"), "en").strip(),
            "operator_zh": _text(spec.get("operator"), "zh"),
            "operator_en": _text(spec.get("operator"), "en"),
            "mailbox": spec.get("mailbox", ""),
            "phone": str(spec.get("phone", "")),
            "timezone": _zone_name(spec, f"platform {code!r}"),
            "quota_hours_per_week": spec.get("quota_hours_per_week"),
            "position": position,
        })
    qualification_ids: dict[str, int] = {}
    for spec in data.get("qualifications", []):
        if spec["platform"] not in platform_ids:
            raise CatalogFileError(f"qualification {spec['code']!r}: unknown platform")
        qualification_ids[spec["code"]] = await _upsert(Qualification, spec["code"], {
            "platform": platform_ids[spec["platform"]],
            "name_zh": _text(spec.get("name"), "zh"),
            "name_en": _text(spec.get("name"), "en"),
            "valid_days": int(spec.get("valid_days", 365)),
        })
    resource_count = 0
    for platform_code, platform in platforms.items():
        for spec in platform.get("resources", []):
            values = resource_values(spec, platform_ids[platform_code], qualification_ids)
            resource_id = await _upsert(Resource, spec["code"], values)
            resource_count += 1
            await _replace_hours(resource_id, spec)
            await _replace_tariffs(resource_id, spec)
    return {
        "platforms": len(platform_ids),
        "qualifications": len(qualification_ids),
        "resources": resource_count,
    }


async def _replace_hours(resource_id: int, spec: dict) -> None:
    await OpeningHours.delete().where(OpeningHours.resource == resource_id)
    rows = []
    for day, spans in (spec.get("hours") or {}).items():
        if day not in WEEKDAYS:
            raise CatalogFileError(f"resource {spec['code']!r}: unknown weekday {day!r}")
        for span in spans:
            opens, closes = parse_span(span, f"resource {spec['code']!r} {day}")
            rows.append(OpeningHours(resource=resource_id, weekday=WEEKDAYS.index(day),
                                     opens=opens, closes=closes))
    if rows:
        await OpeningHours.insert(*rows)


async def _replace_tariffs(resource_id: int, spec: dict) -> None:
    await Tariff.delete().where(Tariff.resource == resource_id)
    rows = []
    for tier, price in (spec.get("tariffs") or {}).items():
        if tier not in Tier.values():
            raise CatalogFileError(f"resource {spec['code']!r}: unknown tier {tier!r}")
        rows.append(Tariff(resource=resource_id, tier=tier,
                           price_fen=price_to_fen(price, f"resource {spec['code']!r}")))
    if rows:
        await Tariff.insert(*rows)
