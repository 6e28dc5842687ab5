"""What residents wrote, made safe to print or publish."""

from __future__ import annotations

import pytest

from community.redaction import public_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("drug house at 2417 N 35th St again", "drug house at 2400 block of N 35th St again"),
        ("2417 n. 35th street, call me", "2400 block of n. 35th street, call me"),
        ("shots near 1530 W Center", "shots near 1500 block of W Center"),
        ("dumping behind 812 Maple Ave", "dumping behind 800 block of Maple Ave"),
        (
            "venta de drogas en 1620 S Cesar E Chavez Dr",
            "venta de drogas en 1600 block of S Cesar E Chavez Dr",
        ),
        ("call 414-555-0123 or me@example.org", "call [phone] or [email]"),
        ("text (414) 555 0199 at 3100 N 5th St", "text [phone] at 3100 block of N 5th St"),
        ("35th and Center, every night", "35th and Center, every night"),
        ("9 cars speeding at 2 am", "9 cars speeding at 2 am"),
        ("", ""),
    ],
)
def test_public_text_hides_contacts_and_homes(text: str, expected: str) -> None:
    assert public_text(text) == expected


def test_spanish_blocks_read_in_spanish() -> None:
    assert (
        public_text("casa en 2417 N 35th St", language="es") == "casa en cuadra 2400 de N 35th St"
    )


def test_html_stays_plain_text_for_the_caller_to_escape() -> None:
    assert public_text("<b>2417 N 35th St</b>") == "<b>2400 block of N 35th St</b>"


def test_no_digits_of_a_phone_number_survive() -> None:
    assert "555" not in public_text("my number is +1 414 555 0123, house 4410 W Burleigh St")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "dealing at 2417 Martin Luther King Jr Dr",
            "dealing at 2400 block of Martin Luther King Jr Dr",
        ),
        ("the duplex 2417-19 W Center St", "the duplex 2400 block of W Center St"),
        ("5 N 35th St again", "0 block of N 35th St again"),
        ("3 kids on Center St", "3 kids on Center St"),
        ("call 555-0123 tonight", "call [phone] tonight"),
        ("at 10:30 pm, 2 cars", "at 10:30 pm, 2 cars"),
    ],
)
def test_more_address_and_phone_forms(text: str, expected: str) -> None:
    assert public_text(text) == expected
