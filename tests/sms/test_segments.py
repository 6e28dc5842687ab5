"""GSM-7 / UCS-2 detection and segment counts at their exact boundaries."""

from __future__ import annotations

import pytest

from community.sms.segments import encoding, segments, to_gsm


def test_plain_english_is_gsm7() -> None:
    assert encoding("Thanks! We got your report about 2400 N 35th St.") == "GSM-7"


def test_gsm_accents_and_greek_stay_gsm7() -> None:
    assert encoding("é è ù ì ò Ç Ñ ñ ü ¿¡ Δ Ω £ ¥ §") == "GSM-7"


@pytest.mark.parametrize("char", ["á", "í", "ó", "ú", "ç", "😀", "“", "—", "…", "\u00a0"])
def test_one_character_outside_gsm_switches_to_ucs2(char: str) -> None:
    assert encoding("Hello " + char) == "UCS-2"


@pytest.mark.parametrize(("length", "expected"), [(0, 1), (1, 1), (160, 1), (161, 2)])
def test_gsm7_single_message_boundary(length: int, expected: int) -> None:
    assert segments("a" * length) == expected


@pytest.mark.parametrize(
    ("length", "expected"), [(153 * 2, 2), (153 * 2 + 1, 3), (153 * 3, 3), (153 * 3 + 1, 4)]
)
def test_gsm7_concatenated_parts_hold_153(length: int, expected: int) -> None:
    assert segments("a" * length) == expected


def test_extension_characters_count_two_septets() -> None:
    assert encoding("{[~]}^|\\€") == "GSM-7"
    assert segments("€" * 80) == 1  # 160 septets
    assert segments("€" + "a" * 159) == 2  # 161 septets
    assert segments("a" * 158 + "{") == 1


def test_extension_pair_is_not_split_across_parts() -> None:
    # 152 septets then an escape pair: the pair moves whole to the second part.
    assert segments("a" * 152 + "€" + "a" * 151) == 2  # 152 | 2 + 151
    assert segments("a" * 152 + "€" + "a" * 152) == 3  # 306 septets, yet 152 | 2 + 151 | 1


@pytest.mark.parametrize(("length", "expected"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_boundaries(length: int, expected: int) -> None:
    text = "á" * length
    assert encoding(text) == "UCS-2"
    assert segments(text) == expected


def test_one_accent_turns_a_long_text_into_ucs2_parts() -> None:
    assert segments("a" * 160) == 1
    assert segments("á" + "a" * 159) == 3  # 160 UCS-2 units: 67 + 67 + 26


def test_emoji_count_two_utf16_units() -> None:
    assert encoding("😀") == "UCS-2"
    assert segments("😀" * 35) == 1  # 70 units
    assert segments("😀" * 35 + "a") == 2  # 71 units
    assert segments("a" * 69 + "😀") == 2  # 71 units


def test_surrogate_pair_is_not_split_across_parts() -> None:
    assert segments("a" * 66 + "😀" + "a" * 65) == 2  # 66 | 2 + 65
    assert segments("a" * 66 + "😀" + "a" * 66) == 3  # 134 units, yet 66 | 2 + 65 | 1


def test_to_gsm_keeps_english_replies_gsm7() -> None:
    text = "We\u2019re on it \u2014 \u201cthanks\u201d\u2026 call 414\u2013555\u00a00100"
    converted = to_gsm(text)
    assert converted == 'We\'re on it - "thanks"... call 414-555 0100'
    assert encoding(converted) == "GSM-7"


def test_to_gsm_leaves_spanish_accents_alone() -> None:
    text = "Gracias, recibimos su reporte. ¿Dónde ocurrió?"
    assert to_gsm(text) == text
    assert encoding(to_gsm(text)) == "UCS-2"


def test_to_gsm_drops_zero_width_characters() -> None:
    assert to_gsm("a\u200bb\ufeff") == "ab"
