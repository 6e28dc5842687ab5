"""The reports' Spanish catalogue: every string translated, and the compiled .mo up to date."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "community" / "reports" / "translations" / "es" / "LC_MESSAGES"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "rt": None,
    "rngettext": (1, 2),
}


def _catalogue():
    with open(FOLDER / "reports.po", "rb") as handle:
        return read_po(handle, locale="es", domain="reports")


def _source_messages() -> set:
    with open(ROOT / "community" / "reports" / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message)
    return found


def test_every_report_string_has_a_spanish_translation() -> None:
    catalogue = _catalogue()
    missing = []
    for message in _source_messages():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        strings = entry.string if entry else None
        if not entry or not all(strings if isinstance(strings, tuple) else [strings]):
            missing.append(key)
    assert not missing, f"untranslated in reports.po (run the extract/update/compile): {missing}"
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


def test_compiled_catalogue_matches_the_po_file() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    assert (FOLDER / "reports.mo").read_bytes() == compiled.getvalue(), (
        "reports.mo is stale: pybabel compile -d community/reports/translations -D reports"
    )
