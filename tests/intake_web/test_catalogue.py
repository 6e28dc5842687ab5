"""The Spanish catalogue: complete, compiled, and covering the resident pages' strings."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "community" / "translations" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The pages residents see, whose strings must always be in the catalogue.
RESIDENT_SOURCES = [
    (
        "templates",
        [
            "base.html",
            "_field.html",
            "errors/*.html",
            "intake/*.html",
            "status/*.html",
            "public/*.html",
        ],
    ),
    ("community", ["intake/*.py", "status/*.py", "basemap/*.py", "errors.py"]),
]


def _catalogue():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="es")


def _messages():
    return [m for m in _catalogue() if m.id]


def test_every_message_has_a_spanish_translation_with_the_same_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 150
    for message in messages:
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {message.id!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, message.id


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file() -> None:
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _messages():
        if isinstance(message.id, tuple):
            for n, expected in ((1, message.string[0]), (5, message.string[-1])):
                assert compiled.ngettext(*message.id, n) == expected, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_the_resident_pages_strings_are_all_in_the_catalogue() -> None:
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages()}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    missing, seen = [], 0
    for folder, patterns in RESIDENT_SOURCES:
        method = "jinja2" if folder == "templates" else "python"
        mapping = [(pattern, method) for pattern in patterns]
        for filename, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=mapping,
            keywords=keywords,
            options_map={p: {"extensions": "jinja2.ext.do"} for p, _m in mapping},
        ):
            msgid = message if isinstance(message, str) else message[0]
            seen += 1
            if msgid and msgid not in known:
                missing.append(f"{folder}/{filename}: {msgid}")
    assert seen > 80  # the extraction itself worked
    assert missing == [], "run the catalogue update (README): " + "; ".join(missing)
