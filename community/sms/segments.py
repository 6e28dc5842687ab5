"""How many SMS segments a text costs: GSM-7 (160/153 septets) or UCS-2 (70/67 code units)."""

from __future__ import annotations

from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

# GSM 03.38 basic character set (one septet each); the escape code 0x1B is not a character.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table: escape + character, two septets each.
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM_SINGLE, GSM_PART = 160, 153  # septets: one message, each part of a concatenated one
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 code units

# Typography that phones and editors insert, with the GSM-7 text it stands for.
_TO_GSM = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left-pointing double angle quotation mark
        "\u00bb": '"',  # right-pointing double angle quotation mark
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # horizontal ellipsis
        "\u00a0": " ",  # no-break space
        "\u2002": " ",  # en space
        "\u2003": " ",  # em space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u200a": " ",  # hair space
        "\u202f": " ",  # narrow no-break space
        "\u200b": None,  # zero-width space
        "\u2060": None,  # word joiner
        "\ufeff": None,  # zero-width no-break space (BOM)
    }
)


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 basic or extension table, else UCS-2."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        return "GSM-7"
    return "UCS-2"


def _units(text: str, kind: Encoding) -> list[int]:
    """The cost of each character: septets for GSM-7, UTF-16 code units for UCS-2."""
    if kind == "GSM-7":
        return [2 if char in GSM_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def segments(text: str) -> int:
    """The number of SMS segments the text is billed as (an empty text still costs one)."""
    kind = encoding(text)
    single, part = (GSM_SINGLE, GSM_PART) if kind == "GSM-7" else (UCS2_SINGLE, UCS2_PART)
    units = _units(text, kind)
    if sum(units) <= single:
        return 1
    # An escape pair or a surrogate pair is never split across two parts.
    count, used = 1, 0
    for cost in units:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return count


def to_gsm(text: str) -> str:
    """The text with curly quotes, dashes, ellipses and odd spaces replaced by GSM-7 ones."""
    return text.translate(_TO_GSM)
