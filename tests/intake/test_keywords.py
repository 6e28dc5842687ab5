"""SMS keywords: single words in any case or accent, free-text opt-outs, carrier words."""

from __future__ import annotations

import pytest

from community.intake.keywords import Keyword, classify, is_carrier_keyword, keyword_language


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        " Stop. ",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "REVOKE",
        "optout",
        "opt-out",
        "Opt out",
        "stop all",
        "PARAR",
        "Párar",
        "alto",
        "BAJA",
        "cancelar",
        "stop please",
        "Please stop!",
        "STOP por favor",
    ],
)
def test_stop_words(body: str) -> None:
    keyword = classify(body)
    assert keyword is not None
    assert keyword.kind == "stop"


@pytest.mark.parametrize(
    "body",
    [
        "stop texting me",
        "Please stop texting me!!",
        "please stop messaging me",
        "stop sending me messages",
        "dont text me anymore",
        "Don't text me anymore",
        "do not contact me",
        "no more texts",
        "remove me from your list",
        "no me manden mensajes",
        "No me manden más mensajes",
        "dejen de enviarme mensajes",
        "deje de mandarme textos",
        "ya no quiero mensajes",
    ],
)
def test_free_text_opt_out(body: str) -> None:
    assert classify(body) == Keyword("stop")


@pytest.mark.parametrize(
    "body",
    [
        "stop selling drugs on my block",
        "Stop selling drugs on my block",
        "make them stop",
        "Please make them stop, they deal all night",
        "the stop sign at 35th and Center is down",
        "at the end of the block",
        "they never stop",
        "quit hanging on the corner",
        "alto el fuego en la calle 16",
        "cancel culture",
        "hay que parar la venta de drogas",
        "they text me threats",
    ],
)
def test_not_an_opt_out(body: str) -> None:
    keyword = classify(body)
    assert keyword is None or keyword.kind != "stop"


@pytest.mark.parametrize("body", ["START", "start", "Unstop", "INICIO", "inicio!", "Inicio"])
def test_start_words(body: str) -> None:
    assert classify(body).kind == "start"


def test_yes_opts_in_only_when_opted_out() -> None:
    assert classify("YES") is None
    assert classify("YES", opted_out=True).kind == "start"
    assert classify("Sí", opted_out=True).kind == "start"
    assert classify("yes they are there again", opted_out=True) is None


@pytest.mark.parametrize(
    "body", ["HELP", "help", "Info", "AYUDA", "ayúda", "help?", "ayuda por favor"]
)
def test_help_words(body: str) -> None:
    assert classify(body).kind == "help"


def test_help_inside_a_report_is_not_a_keyword() -> None:
    assert classify("help they are shooting on 20th") is None


@pytest.mark.parametrize(
    ("body", "number"),
    [
        ("STATUS", None),
        ("status?", None),
        ("Estado", None),
        ("status of my case", None),
        ("estado de mi caso", None),
        ("status MKE-7K3Q", "MKE-7K3Q"),
        ("STATUS mke 7k3q", "MKE-7K3Q"),
        ("estado 7k3q", "MKE-7K3Q"),
        ("Estado: MKE7K3Q", "MKE-7K3Q"),
    ],
)
def test_status(body: str, number: str | None) -> None:
    assert classify(body) == Keyword("status", case_number=number, word=classify(body).word)
    assert classify(body).case_number == number


def test_status_with_other_words_is_ordinary_text() -> None:
    assert classify("estado de la casa es muy malo") is None
    assert classify("status quo on 27th street") is None


@pytest.mark.parametrize("body", ["NEW", "new", "Nuevo", "NUEVA", "new report", "nuevo caso"])
def test_new(body: str) -> None:
    assert classify(body).kind == "new"


def test_new_inside_a_report_is_not_a_keyword() -> None:
    assert classify("new people selling drugs on 27th") is None


def test_case_prefix_is_a_parameter() -> None:
    assert classify("status ABC-7K3Q", case_prefix="ABC").case_number == "ABC-7K3Q"


def test_empty_and_punctuation_only() -> None:
    assert classify("") is None
    assert classify("   ?! ") is None


@pytest.mark.parametrize(
    "body",
    ["STOP", "stop", " Stop ", "STOPALL", "UNSUBSCRIBE", "cancel", "END", "QUIT", "START", "HELP"],
)
def test_carrier_keywords(body: str) -> None:
    assert is_carrier_keyword(body)


@pytest.mark.parametrize(
    "body",
    ["PARAR", "AYUDA", "INICIO", "stop texting me", "stop please", "STOP.", "YES", "STATUS", ""],
)
def test_not_carrier_keywords(body: str) -> None:
    assert not is_carrier_keyword(body)


def test_yes_is_a_carrier_keyword_when_opted_out() -> None:
    assert is_carrier_keyword("YES", opted_out=True)


def test_keyword_language() -> None:
    assert keyword_language(classify("PARAR")) == "es"
    assert keyword_language(classify("ayuda")) == "es"
    assert keyword_language(classify("HELP")) is None  # Spanish speakers type HELP too
    assert keyword_language(classify("STOP")) is None
