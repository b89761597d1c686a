"""The zh_CN catalog is complete and current: every extracted msgid is translated there.

The extraction is the one `make messages` runs (same mapping, same keywords, read from
the Makefile), into a temporary .pot, so a string added in code or a template without
running `make messages` and translating it fails here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "i18n" / "locales"
PYBABEL = Path(sys.executable).parent / "pybabel"


def makefile_keywords() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^KEYWORDS\s*:=\s*(.+)$", text, re.MULTILINE)
    assert match, "the Makefile defines no KEYWORDS"
    return shlex.split(match.group(1))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [str(PYBABEL), "-q", "extract", "--mapping", "i18n/babel.cfg", *makefile_keywords(),
         "--no-location", "--sort-output", "--project", "Parkbench", "--output", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def load(locale: str):
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_extracted_message_has_a_chinese_translation(extracted):
    zh = load("zh_CN")
    missing = [m.id for m in extracted if m.id and m.id not in zh]
    assert not missing, f"msgids missing from zh_CN (run `make messages`): {missing[:20]}"
    untranslated = [m.id for m in extracted if m.id and not _translated(zh[m.id])]
    assert not untranslated, f"msgids without a zh_CN translation: {untranslated[:20]}"
    fuzzy = [m.id for m in zh if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy zh_CN entries: {fuzzy[:20]}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_placeholders_match_their_msgid(locale):
    catalog = load(locale)
    problems = []
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        try:
            python_format(catalog, message)
        except Exception as exc:  # babel raises TranslationError
            problems.append((message.id, str(exc)))
    assert not problems, problems[:20]


def test_the_extraction_sees_templates_and_domain_errors(extracted):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted}
    assert "My bookings" in ids  # a template string
    assert "The slot is outside the opening hours." in ids  # a Violation's message
    assert "No resource with this id." in ids  # a NotFound's message
