"""The Jinja environment: one loader over each capability's ``templates/`` folder."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

import i18n.jinja

BOOKING_DIR = Path(__file__).resolve().parent.parent


def template_dirs() -> list[Path]:
    dirs = [BOOKING_DIR / "templates"]
    dirs += sorted(p for p in BOOKING_DIR.glob("*/templates") if p.is_dir())
    return dirs


def make_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs()]),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    i18n.jinja.install(env)
    return env


def template_config() -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment()))
