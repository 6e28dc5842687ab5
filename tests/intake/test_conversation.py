"""Whole SMS conversations through the pure state machine, with a fake geocoder; no database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from community.geo.place import Place
from community.intake.conversation import (
    TEMPLATE_VALUES,
    AddFollowUp,
    AttachMedia,
    CreateConcern,
    Decision,
    Inbound,
    MarkLocationNeeded,
    Memory,
    OptIn,
    OptOut,
    Reply,
    SetLanguage,
    SetPlace,
    State,
    detect_language,
    judge,
    step,
)
from community.sms.segments import encoding, segments

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "sms"
TIMEOUT = timedelta(hours=2)
T0 = datetime(2025, 5, 1, 18, 0, tzinfo=UTC)
ENV = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False)


def place(
    label: str,
    confidence: float = 0.9,
    kind: str = "address",
    neighborhood: str | None = "Sherman Park",
    alternatives: tuple[Place, ...] = (),
) -> Place:
    """A found place for the fake geocoder."""
    areas = {"neighborhood": neighborhood} if neighborhood else {}
    return Place(
        kind=kind,  # type: ignore[arg-type]
        lat=43.07,
        lon=-87.96,
        label=label,
        confidence=confidence,
        areas=areas,
        alternatives=alternatives,
    )


HOUSE = place("2847 N 35th St")
OTHER_HOUSE = place("2900 N 35th St")
CORNER = place("N 35th St & W Center St", kind="intersection")
CENTER_STREETS = place(
    "W Center St & N 35th St",
    confidence=0.45,
    kind="intersection",
    alternatives=(
        place("W Center St & N 35th St (west)", confidence=0.4, kind="intersection"),
        place("E Center St & N Holton St", confidence=0.35, kind="intersection"),
        place("W Center St & N 60th St", confidence=0.3, kind="intersection"),
    ),
)

# Text fragment (lowercase) -> the place the fake geocoder answers.
GAZETTEER = {
    "2847 n 35th": HOUSE,
    "2900 n 35th": OTHER_HOUSE,
    "35th and center": CORNER,
    "35 y center": CORNER,
    "center street": CENTER_STREETS,
    "calle center": CENTER_STREETS,
}


def locate(text: str) -> Place:
    """The fake geocoder: the first gazetteer fragment in the text, else nothing."""
    lowered = text.lower()
    for fragment, found in GAZETTEER.items():
        if fragment in lowered:
            return found
    return Place.none()


def render(reply: Reply, language: str) -> str:
    """The text a reply becomes, with the values a caller adds for STATUS."""
    values = dict(reply.values)
    assert set(TEMPLATE_VALUES[reply.template]) <= set(values)
    return ENV.get_template(f"{language}/{reply.template}.txt").render(**values).strip()


class Phone:
    """A resident's phone and the caller's side: carries out effects, keeps memory as JSON."""

    def __init__(self, language: str = "en") -> None:
        self.memory = Memory.fresh(language)
        self.opted_out = False
        self.now = T0
        self.numbers = iter(["MKE-7K3Q", "MKE-8M4R", "MKE-9N5S", "MKE-AP6T"])
        self.pending = next(self.numbers)
        self.concerns = 0
        self.texts: list[str] = []

    def send(
        self, body: str, *, media: int = 0, after: timedelta = timedelta(minutes=1), **options: Any
    ) -> Decision:
        """Text the city number; returns the Decision and records what the resident got."""
        self.now += after
        decision = step(
            self.memory,
            Inbound(body=body, received_at=self.now, num_media=media),
            locate=locate,
            opted_out=self.opted_out,
            timeout=TIMEOUT,
            case_number_for_new=self.pending,
            **options,
        )
        memory = decision.memory
        for effect in decision.effects:
            if isinstance(effect, OptOut):
                self.opted_out = True
            elif isinstance(effect, OptIn):
                self.opted_out = False
            elif isinstance(effect, CreateConcern):
                self.concerns += 1
                memory = replace(memory, concern_id=self.concerns)
                self.pending = next(self.numbers)
        self.memory = Memory.from_json(json.loads(json.dumps(memory.to_json())))
        assert self.memory == memory
        if decision.reply is not None:
            self.texts.append(render(decision.reply, memory.language))
        return decision

    @property
    def last(self) -> str:
        """The last text the resident received."""
        return self.texts[-1]


# --- confident place -------------------------------------------------------------------


def test_confident_place_in_english() -> None:
    phone = Phone()
    body = "People selling drugs out of the blue house at 2847 N 35th every night"
    decision = phone.send(body)
    assert decision.effects == (
        CreateConcern(body, "drug_activity", HOUSE.to_dict(with_alternatives=False), "en"),
    )
    assert decision.reply == Reply(
        "received",
        {
            "case_number": "MKE-7K3Q",
            "category": "drug_activity",
            "category_label": "Drug activity",
            "place_label": "2847 N 35th St",
            "neighborhood": "Sherman Park",
        },
    )
    assert phone.memory.state is State.OPEN
    assert phone.memory.case_number == "MKE-7K3Q"
    assert phone.memory.concern_id == 1
    assert phone.last.startswith(
        "Thanks. Drug activity near 2847 N 35th St (Sherman Park) is case MKE-7K3Q."
    )
    assert "911" in phone.last
    assert "Reply STOP to opt out" in phone.last


def test_confident_place_in_spanish() -> None:
    phone = Phone()
    body = "Venden drogas en la casa azul de la 35 y Center"
    decision = phone.send(body)
    assert decision.effects == (
        SetLanguage("es"),
        CreateConcern(body, "drug_activity", CORNER.to_dict(with_alternatives=False), "es"),
    )
    assert phone.memory.language == "es"
    assert phone.last.startswith("Gracias. Venta de drogas cerca de N 35th St & W Center St")
    assert "MKE-7K3Q" in phone.last
    assert "PARAR" in phone.last


def test_category_label_from_the_caller() -> None:
    phone = Phone()
    decision = phone.send(
        "shots fired at 2847 N 35th", category_label=lambda code, lang: f"{code}/{lang}"
    )
    assert decision.reply.values["category_label"] == "shots_fired/en"


# --- ambiguous place -------------------------------------------------------------------


def test_ambiguous_place_then_choice_two() -> None:
    phone = Phone()
    decision = phone.send("trap house on center street")
    assert decision.effects == (
        CreateConcern("trap house on center street", "drug_activity", None, "en"),
    )
    assert phone.memory.state is State.AWAITING_CHOICE
    assert decision.reply.template == "choose"
    assert decision.reply.values["choices"] == [
        "W Center St & N 35th St",
        "W Center St & N 35th St (west)",
        "E Center St & N Holton St",
    ]
    assert decision.reply.values["first"] is True
    assert "1. W Center St & N 35th St\n2. W Center St & N 35th St (west)\n3. E" in phone.last
    assert "MKE-7K3Q" in phone.last
    assert "Reply STOP to opt out" in phone.last

    decision = phone.send("2")
    chosen = CENTER_STREETS.alternatives[0].to_dict(with_alternatives=False)
    assert decision.effects == (SetPlace(chosen),)
    assert decision.reply.template == "located"
    assert phone.memory.state is State.OPEN
    assert phone.memory.choices == ()
    assert phone.last.startswith("Got it: case MKE-7K3Q is at W Center St & N 35th St (west)")


def test_a_close_rival_makes_a_confident_place_ambiguous() -> None:
    rival = place("2847 S 35th St", confidence=0.8)
    verdict, options = judge(replace(HOUSE, alternatives=(rival,)))
    assert verdict == "ambiguous"
    assert [o["label"] for o in options] == ["2847 N 35th St", "2847 S 35th St"]
    distant = place("2847 S 35th St", confidence=0.6)
    assert judge(replace(HOUSE, alternatives=(distant,)))[0] == "confident"
    assert judge(Place.none()) == ("none", ())


def test_choice_zero_asks_again_and_a_new_place_can_be_given() -> None:
    phone = Phone()
    phone.send("dumping on center street")
    decision = phone.send("0")
    assert decision.effects == ()
    assert decision.reply.template == "ask_location_again"
    assert phone.memory.state is State.AWAITING_LOCATION
    assert phone.memory.tries == 1
    decision = phone.send("2847 N 35th St")
    assert decision.effects == (SetPlace(HOUSE.to_dict(with_alternatives=False)),)
    assert phone.memory.state is State.OPEN


def test_unparseable_choice_is_a_new_location_attempt() -> None:
    phone = Phone()
    phone.send("dumping on center street")
    decision = phone.send("actually it is 35th and Center")
    assert decision.effects == (SetPlace(CORNER.to_dict(with_alternatives=False)),)
    assert phone.memory.state is State.OPEN


def test_single_weak_place_is_confirmed_with_yes() -> None:
    GAZETTEER["by the school"] = place("Sherman Park School", confidence=0.4, kind="landmark")
    try:
        phone = Phone()
        decision = phone.send("kids fighting by the school")
        assert decision.reply.values["choices"] == ["Sherman Park School"]
        decision = phone.send("yes")
        assert isinstance(decision.effects[0], SetPlace)
        assert phone.memory.state is State.OPEN
    finally:
        del GAZETTEER["by the school"]


def test_ambiguous_in_spanish_then_ninguno() -> None:
    phone = Phone()
    phone.send("tiraron basura en la calle Center")
    assert phone.last.startswith("Gracias, su caso es MKE-7K3Q. ¿Qué lugar?")
    decision = phone.send("ninguno")
    assert decision.reply.template == "ask_location_again"
    assert phone.last.startswith("Perdón, aún necesitamos el lugar del caso MKE-7K3Q")


# --- no place --------------------------------------------------------------------------


def test_no_place_two_failed_tries_then_location_needed() -> None:
    phone = Phone()
    decision = phone.send("people dealing out of the green house")
    assert decision.effects == (
        CreateConcern("people dealing out of the green house", "other", None, "en"),
    )
    assert decision.reply == Reply(
        "ask_location",
        {"case_number": "MKE-7K3Q", "category": "other", "category_label": "Other"},
    )
    assert phone.memory.state is State.AWAITING_LOCATION
    assert "Reply STOP to opt out" in phone.last

    decision = phone.send("behind the church")
    assert decision.effects == (AddFollowUp("behind the church"),)
    assert decision.reply.template == "ask_location_again"
    assert phone.memory.tries == 1
    assert "STOP" not in phone.last

    decision = phone.send("by the old store")
    assert decision.effects == (AddFollowUp("by the old store"), MarkLocationNeeded())
    assert decision.reply == Reply("location_needed", {"case_number": "MKE-7K3Q"})
    assert phone.memory.state is State.OPEN
    assert phone.memory.tries == 0
    assert "our staff will locate it" in phone.last

    decision = phone.send("it's the blue house")
    assert decision.effects == (AddFollowUp("it's the blue house"),)
    assert decision.reply.template == "followup_added"


def test_no_place_then_an_address() -> None:
    phone = Phone()
    phone.send("balacera anoche")
    assert phone.memory.language == "es"
    assert phone.last.startswith("Gracias, su caso es MKE-7K3Q. ¿Dónde pasa?")
    decision = phone.send("en la 35 y Center")
    assert decision.effects == (SetPlace(CORNER.to_dict(with_alternatives=False)),)
    assert phone.last.startswith("Listo: el caso MKE-7K3Q está en N 35th St & W Center St")


def test_no_place_in_spanish_location_needed() -> None:
    phone = Phone("es")
    phone.send("disparos anoche")
    phone.send("detrás de la iglesia")
    decision = phone.send("no sé")
    assert MarkLocationNeeded() in decision.effects
    assert phone.last.startswith("Gracias. No pudimos ubicar el caso MKE-7K3Q")


# --- open: corrections and follow-ups ----------------------------------------------------


def test_correction_in_open() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("wrong place, it's 2900 N 35th St")
    assert decision.effects == (SetPlace(OTHER_HOUSE.to_dict(with_alternatives=False)),)
    assert decision.reply.values["corrected"] is True
    assert phone.last.startswith("Updated: case MKE-7K3Q is now at 2900 N 35th St")
    assert phone.memory.state is State.OPEN


def test_a_bare_address_in_open_is_a_correction() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("2900 N 35th St")
    assert decision.effects == (SetPlace(OTHER_HOUSE.to_dict(with_alternatives=False)),)


def test_correction_in_spanish() -> None:
    phone = Phone()
    phone.send("venden drogas en 2847 N 35th")
    decision = phone.send("no es ahí, es en 2900 N 35th St")
    assert decision.effects == (SetPlace(OTHER_HOUSE.to_dict(with_alternatives=False)),)
    assert phone.last.startswith("Actualizado: el caso MKE-7K3Q ahora está en 2900 N 35th St")


def test_wrong_place_without_a_place_asks_for_it() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("that's the wrong place")
    assert decision.effects == (AddFollowUp("that's the wrong place"),)
    assert decision.reply.template == "ask_location_again"
    assert phone.memory.state is State.AWAITING_LOCATION
    phone.send("2900 N 35th St")
    assert phone.memory.state is State.OPEN


def test_follow_up_in_open() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    body = "they are back again tonight, about ten people in front of 2847 N 35th St selling"
    decision = phone.send(body)
    assert decision.effects == (AddFollowUp(body),)
    assert decision.reply == Reply("followup_added", {"case_number": "MKE-7K3Q", "media": False})
    assert phone.last.startswith("Added to case MKE-7K3Q. Thank you.")
    assert phone.concerns == 1


def test_follow_up_with_no_is_not_a_correction_without_a_place() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("No, nobody has come out yet")
    assert decision.effects == (AddFollowUp("No, nobody has come out yet"),)
    assert phone.memory.state is State.OPEN


# --- keywords ----------------------------------------------------------------------------


def test_stop_then_nothing_at_all() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("STOP")
    assert decision.effects == (OptOut(),)
    assert decision.reply is None
    assert phone.memory.state is State.IDLE
    for body in ("HELP", "STATUS", "NEW", "stop", "hello"):
        decision = phone.send(body, media=1)
        assert decision.reply is None  # nothing at all is sent after STOP
    decision = phone.send("shots fired at 2847 N 35th")
    assert decision.reply is None
    assert any(isinstance(e, CreateConcern) for e in decision.effects)  # the report still counts
    assert len(phone.texts) == 1


def test_start_opts_back_in() -> None:
    phone = Phone()
    phone.send("STOP")
    decision = phone.send("START")
    assert decision.effects == (OptIn(),)
    assert decision.reply is None  # Twilio answers START itself
    assert not phone.opted_out
    phone.send("STOP")
    decision = phone.send("START", carrier_answers=False)
    assert decision.reply == Reply("started")
    assert "Milwaukee Community Prosecution again" in phone.last


def test_inicio_opts_back_in_in_spanish() -> None:
    phone = Phone()
    phone.send("STOP")
    decision = phone.send("Inicio")
    assert decision.effects == (OptIn(), SetLanguage("es"))
    assert phone.last.startswith("Volverá a recibir mensajes")


def test_yes_after_stop_opts_in_and_otherwise_is_text() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("yes")
    assert decision.effects == (AddFollowUp("yes"),)
    phone.send("STOP")
    decision = phone.send("YES")
    assert decision.effects == (OptIn(),)
    assert decision.reply is None


def test_stop_texting_me_confirms() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("please stop texting me")
    assert decision.effects == (OptOut(),)
    assert decision.reply == Reply("stopped")
    assert phone.last.startswith("You will get no more texts")
    assert phone.send("shots fired").reply is None


def test_stop_selling_drugs_is_a_report_not_an_opt_out() -> None:
    phone = Phone()
    decision = phone.send("make them stop selling drugs at 2847 N 35th")
    assert isinstance(decision.effects[0], CreateConcern)
    assert not phone.opted_out


def test_parar_confirms_in_spanish() -> None:
    phone = Phone()
    decision = phone.send("PARAR")
    assert decision.effects == (OptOut(), SetLanguage("es"))
    assert phone.last.startswith("No recibirá más mensajes")
    assert "INICIO" in phone.last


def test_help_and_ayuda() -> None:
    phone = Phone()
    assert phone.send("HELP").reply is None  # Twilio answers HELP itself
    decision = phone.send("HELP", carrier_answers=False)
    assert decision.reply == Reply("help")
    assert "911" in phone.last
    assert "STOP" in phone.last
    decision = phone.send("ayuda")
    assert decision.effects == (SetLanguage("es"),)
    assert "911" in phone.last
    assert "PARAR" in phone.last


def test_help_keeps_the_conversation() -> None:
    phone = Phone()
    phone.send("people dealing out of the green house")
    phone.send("help", carrier_answers=False)
    assert phone.memory.state is State.AWAITING_LOCATION
    decision = phone.send("2847 N 35th St")
    assert isinstance(decision.effects[0], SetPlace)


def test_status_with_and_without_case_number() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("status MKE-7K3Q")
    assert decision.reply == Reply("status", {"case_number": "MKE-7K3Q", "cases": []})
    assert decision.effects == ()
    assert phone.memory.state is State.OPEN
    decision = phone.send("STATUS")
    assert decision.reply == Reply("status", {"case_number": None, "cases": []})
    decision = phone.send("estado 8m4r")
    assert decision.reply.values["case_number"] == "MKE-8M4R"
    assert phone.memory.language == "es"
    cases = [{"case_number": "MKE-7K3Q", "status": "asignado", "agency": "MPD District 3"}]
    text = ENV.get_template("es/status.txt").render(case_number=None, cases=cases)
    assert text == "Caso MKE-7K3Q: asignado, con MPD District 3."


def test_new_starts_a_fresh_concern() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("NEW")
    assert decision.reply == Reply("ask_concern")
    assert decision.effects == ()
    assert phone.memory.state is State.IDLE
    decision = phone.send("graffiti at 35th and Center")
    assert decision.effects[0].category_code == "graffiti"
    assert phone.memory.case_number == "MKE-8M4R"
    assert phone.concerns == 2


def test_new_while_asking_where_hands_the_old_concern_to_staff() -> None:
    phone = Phone()
    phone.send("people dealing out of the green house")
    decision = phone.send("nuevo")
    assert decision.effects == (SetLanguage("es"), MarkLocationNeeded())
    assert phone.last.startswith("Cuéntenos qué pasa y dónde")


def test_greeting_asks_what_is_happening() -> None:
    phone = Phone()
    decision = phone.send("Hi")
    assert decision == Decision(phone.memory, (), Reply("ask_concern"))
    assert phone.concerns == 0


# --- timeout -----------------------------------------------------------------------------


def test_quiet_conversation_is_over() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    decision = phone.send("it's the blue house", after=timedelta(hours=1))
    assert decision.effects == (AddFollowUp("it's the blue house"),)
    decision = phone.send("shots fired at 35th and Center", after=timedelta(hours=2, minutes=1))
    assert decision.effects == (
        CreateConcern(
            "shots fired at 35th and Center",
            "shots_fired",
            CORNER.to_dict(with_alternatives=False),
            "en",
        ),
    )
    assert phone.memory.case_number == "MKE-8M4R"
    assert phone.last.startswith("Thanks. Shots fired near N 35th St & W Center St")


def test_timeout_while_asking_where() -> None:
    phone = Phone()
    phone.send("people dealing out of the green house")
    decision = phone.send("2847 N 35th St", after=timedelta(hours=3))
    assert [type(e) for e in decision.effects] == [MarkLocationNeeded, CreateConcern]
    assert phone.memory.language == "en"


def test_timeout_keeps_the_language() -> None:
    phone = Phone()
    phone.send("venden drogas en 2847 N 35th")
    decision = phone.send("2847 N 35th", after=timedelta(days=1))
    assert decision.effects[0].language == "es"


# --- MMS ---------------------------------------------------------------------------------


def test_mms_attaches_media() -> None:
    phone = Phone()
    decision = phone.send("dumping at 2847 N 35th", media=2)
    assert [type(e) for e in decision.effects] == [CreateConcern, AttachMedia]
    decision = phone.send("", media=1)
    assert decision.effects == (AttachMedia(),)
    assert decision.reply == Reply("followup_added", {"case_number": "MKE-7K3Q", "media": True})
    assert phone.last.startswith("Added to case MKE-7K3Q, with your photo.")
    decision = phone.send("more trash today", media=1)
    assert decision.effects == (AttachMedia(), AddFollowUp("more trash today"))


def test_mms_while_asking_where() -> None:
    phone = Phone()
    phone.send("trash everywhere")
    decision = phone.send("", media=1)
    assert decision.effects == (AttachMedia(),)
    assert decision.reply.template == "ask_location_again"
    assert phone.memory.tries == 0


def test_photo_alone_first_asks_what_is_happening() -> None:
    phone = Phone()
    decision = phone.send("", media=1)
    assert decision.effects == ()
    assert decision.reply == Reply("ask_concern")


def test_empty_text_without_media_gets_nothing_in_open() -> None:
    phone = Phone()
    phone.send("drug house at 2847 N 35th")
    assert phone.send("  ").reply is None


# --- memory and language -----------------------------------------------------------------


def test_memory_json_round_trip() -> None:
    memory = Memory(
        state=State.AWAITING_CHOICE,
        concern_id=7,
        case_number="MKE-7K3Q",
        tries=1,
        choices=(HOUSE.to_dict(with_alternatives=False),),
        language="es",
        updated_at=T0,
    )
    assert Memory.from_json(json.loads(json.dumps(memory.to_json()))) == memory
    assert Memory.fresh("es") == Memory(language="es")
    assert Memory.fresh("fr").language == "en"


@pytest.mark.parametrize("data", [None, {}, {"state": "bogus"}, {"updated_at": "yesterday"}, []])
def test_memory_from_unreadable_json_is_fresh(data: Any) -> None:
    memory = Memory.from_json(data, language="es")
    assert memory.state is State.IDLE
    assert memory.language == "es"


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("venden drogas en la esquina", "en", "es"),
        ("¿Hay alguien?", "en", "es"),
        ("people selling drugs on the corner", "es", "en"),
        ("2847 N 35th St", "es", "es"),
        ("2847 N 35th St", "en", "en"),
        ("ok", "es", "es"),
        ("la casa azul", "en", "es"),
    ],
)
def test_detect_language(text: str, default: str, expected: str) -> None:
    assert detect_language(text, default) == expected


# --- templates -----------------------------------------------------------------------------

SAMPLE_VALUES: dict[str, Any] = {
    "case_number": "MKE-7K3Q",
    "category": "reckless_driving",
    "category_label": "Speeding or reckless driving",
    "place_label": "2847 N Martin Luther King Jr Dr",
    "neighborhood": "Harambee",
    "choices": [
        "W Center St & N 35th St",
        "W Center St & N Sherman Blvd",
        "E Center St & N Holton St",
    ],
    "first": True,
    "corrected": True,
    "media": True,
    "cases": [
        {
            "case_number": "MKE-7K3Q",
            "status": "in progress",
            "agency": "District Attorney's Community Prosecution Unit",
        },
        {"case_number": "MKE-8M4R", "status": "resolved", "agency": "Milwaukee Police District 3"},
        {"case_number": "MKE-9N5S", "status": "new", "agency": None},
    ],
    "agency": "Department of Neighborhood Services",
    "outcome": "the owner boarded and secured the building",
}
SPANISH_SAMPLE = {
    **SAMPLE_VALUES,
    "category_label": "Propiedad problemática",
    "outcome": "el dueño aseguró el edificio",
}
WITH_STOP = {"help", "received", "ask_location", "choose", "started"}


def test_every_template_exists_in_both_languages() -> None:
    for language in ("en", "es"):
        names = {path.stem for path in (TEMPLATES / language).glob("*.txt")}
        assert names == set(TEMPLATE_VALUES), language


@pytest.mark.parametrize("name", sorted(TEMPLATE_VALUES))
def test_english_templates_are_gsm7_and_at_most_two_segments(name: str) -> None:
    values = {key: SAMPLE_VALUES[key] for key in TEMPLATE_VALUES[name]}
    text = ENV.get_template(f"en/{name}.txt").render(**values).strip()
    assert text
    assert encoding(text) == "GSM-7", text
    assert len(text) <= 306, (len(text), text)
    assert segments(text) <= 2
    assert ("STOP" in text) == (name in WITH_STOP), text
    assert ("911" in text) or name not in {"help", "received"}


@pytest.mark.parametrize("name", sorted(TEMPLATE_VALUES))
def test_spanish_templates_are_at_most_three_segments(name: str) -> None:
    values = {key: SPANISH_SAMPLE[key] for key in TEMPLATE_VALUES[name]}
    text = ENV.get_template(f"es/{name}.txt").render(**values).strip()
    assert text
    assert segments(text) <= 3, (segments(text), len(text), text)
    assert ("PARAR" in text) == (name in WITH_STOP), text
    assert ("911" in text) or name not in {"help", "received"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_templates_render_their_fallbacks(language: str) -> None:
    status = ENV.get_template(f"{language}/status.txt")
    assert "MKE-7K3Q" in status.render(case_number="MKE-7K3Q", cases=[])
    assert status.render(case_number=None, cases=[])
    choose = ENV.get_template(f"{language}/choose.txt")
    text = choose.render(case_number="MKE-7K3Q", choices=["A"], first=False)
    assert "MKE-7K3Q" not in text
    assert "1. A" in text
    located = ENV.get_template(f"{language}/located.txt")
    text = located.render(case_number="X", place_label="P", neighborhood=None, corrected=False)
    assert "()" not in text


def test_naive_timestamps_are_taken_as_utc() -> None:
    memory = replace(Memory.fresh(), state=State.OPEN, case_number="MKE-7K3Q", updated_at=T0)
    later = Inbound("it's the blue house", (T0 + timedelta(minutes=5)).replace(tzinfo=None))
    decision = step(memory, later, locate=locate, opted_out=False, timeout=TIMEOUT)
    assert decision.effects == (AddFollowUp("it's the blue house"),)
