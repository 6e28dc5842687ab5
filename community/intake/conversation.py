"""The SMS conversation with a resident: a pure state machine, no Flask, database or network.

`step(memory, inbound, ...)` reads what the resident just sent and returns a Decision: the
new Memory (stored by the caller in Conversation.context via to_json()), the effects to carry
out in one transaction, and the Reply to send (None: send nothing).

Effects apply in order. Until a CreateConcern they concern the conversation's current
concern (the `concern_id` of the memory passed in); after it, the concern it created. After
carrying out a CreateConcern the caller stores the new id with
`dataclasses.replace(decision.memory, concern_id=concern.id)`.

Reply values hold codes and labels the conversation knows: `category` is the code and
`category_label` the label from the `category_label` callable (default: the built-in labels
of intake.categorize); `neighborhood` is the Place's neighborhood area code as the geocoder
gave it. TEMPLATE_VALUES lists every template's values; for `status`, `status_assigned`,
`status_resolved` and `rate_limited` the caller fills in what only the database knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from community.geo.distance import metres
from community.geo.place import Place
from community.intake.categorize import categorize
from community.intake.categorize import category_label as builtin_category_label
from community.intake.keywords import Keyword, classify, fold, is_carrier_keyword, keyword_language

Language = Literal["en", "es"]

CONFIDENT = 0.5  # a place above this confidence, with no close rival, is taken as is
CLOSE_RIVAL = 0.1  # an alternative within this much confidence competes with the best place
MAX_CHOICES = 3
MAX_TRIES = 2  # failed location replies before staff are asked to place the concern
CORRECTION_MAX_WORDS = 8  # a located text this short is "mostly an address"
ADDRESS_KINDS = frozenset({"address", "interpolated", "block", "intersection"})

# Every template in templates/sms/<lang>/ and the values it is rendered with.
TEMPLATE_VALUES: dict[str, tuple[str, ...]] = {
    "received": ("case_number", "category", "category_label", "place_label", "neighborhood"),
    "choose": ("case_number", "choices", "first"),
    "ask_location": ("case_number", "category", "category_label"),
    "ask_location_again": ("case_number",),
    "location_needed": ("case_number",),
    "located": ("case_number", "place_label", "neighborhood", "corrected"),
    "followup_added": ("case_number", "media"),
    "help": (),
    "stopped": (),
    "started": (),
    "status": ("case_number", "cases"),
    "ask_concern": (),
    "rate_limited": (),
    "status_assigned": ("case_number", "agency"),
    "status_resolved": ("case_number", "outcome"),
}


class State(StrEnum):
    """Where the conversation with one phone number stands."""

    IDLE = "idle"  # no open concern: the next text starts one
    AWAITING_LOCATION = "awaiting_location"  # asked where it is; Memory.tries counts failed replies
    AWAITING_CHOICE = "awaiting_choice"  # offered numbered places (Memory.choices): 1, 2 or 3
    OPEN = "open"  # the concern has a place (or staff will place it): corrections, follow-ups


@dataclass(frozen=True)
class Memory:
    """What the conversation remembers between texts (JSON in Conversation.context)."""

    state: State = State.IDLE
    concern_id: int | None = None
    case_number: str | None = None
    tries: int = 0
    choices: tuple[dict[str, Any], ...] = ()
    language: Language = "en"
    updated_at: datetime | None = None
    category: str | None = None  # the concern's category code
    place: dict[str, Any] | None = None  # where the concern is (label, lat, lon)

    @classmethod
    def fresh(cls, language: str = "en") -> Memory:
        """An idle conversation in a language."""
        return cls(language=_language_or(language, "en"))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "state": self.state.value,
            "concern_id": self.concern_id,
            "case_number": self.case_number,
            "tries": self.tries,
            "choices": [dict(c) for c in self.choices],
            "language": self.language,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "category": self.category,
            "place": self.place,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, language: str = "en") -> Memory:
        """The Memory a to_json() stored; anything unreadable gives a fresh one."""
        if not isinstance(data, dict):
            return cls.fresh(language)
        try:
            stamp = data.get("updated_at")
            return cls(
                state=State(data.get("state", State.IDLE)),
                concern_id=data.get("concern_id"),
                case_number=data.get("case_number"),
                tries=int(data.get("tries", 0)),
                choices=tuple(dict(c) for c in data.get("choices") or ()),
                language=_language_or(data.get("language"), language),
                updated_at=datetime.fromisoformat(stamp) if stamp else None,
                category=data.get("category"),
                place=data.get("place") if isinstance(data.get("place"), dict) else None,
            )
        except (TypeError, ValueError):
            return cls.fresh(language)


@dataclass(frozen=True)
class Inbound:
    """One text from the resident."""

    body: str
    received_at: datetime  # aware, UTC
    num_media: int = 0


@dataclass(frozen=True)
class CreateConcern:
    """Create a concern with the case number in Decision.memory (place None: locate later)."""

    text: str
    category_code: str
    place: dict[str, Any] | None
    language: str


@dataclass(frozen=True)
class SetPlace:
    """Place the concern (a Place.to_dict(with_alternatives=False))."""

    place: dict[str, Any]


@dataclass(frozen=True)
class AddFollowUp:
    """Add the resident's words to the concern."""

    text: str


@dataclass(frozen=True)
class MarkLocationNeeded:
    """The resident could not tell us where: staff will place the concern."""


@dataclass(frozen=True)
class OptOut:
    """The resident asked us to stop texting: send nothing more, not even status updates."""


@dataclass(frozen=True)
class OptIn:
    """The resident opted back in."""


@dataclass(frozen=True)
class SetLanguage:
    """Remember the resident's language."""

    language: str


@dataclass(frozen=True)
class AttachMedia:
    """Attach this message's media (MMS photos) to the concern."""


Effect = (
    CreateConcern
    | SetPlace
    | AddFollowUp
    | MarkLocationNeeded
    | OptOut
    | OptIn
    | SetLanguage
    | AttachMedia
)


@dataclass(frozen=True)
class Reply:
    """A text to send: a template in templates/sms/<language>/<template>.txt and its values."""

    template: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """The outcome of one step: new memory, effects in order, and the reply (None: silence)."""

    memory: Memory
    effects: tuple[Effect, ...]
    reply: Reply | None


@dataclass(frozen=True)
class _Context:
    """The per-step inputs every handler needs."""

    inbound: Inbound
    text: str
    locate: Callable[[str], Place]
    label: Callable[[str, str], str]
    case_number_for_new: str | None


def step(
    memory: Memory,
    inbound: Inbound,
    *,
    locate: Callable[[str], Place],
    opted_out: bool,
    timeout: timedelta,
    case_number_for_new: str | None = None,
    category_label: Callable[[str, str], str] | None = None,
    carrier_answers: bool = True,
    case_prefix: str = "MKE",
) -> Decision:
    """Decide what one inbound text does and what to answer.

    `carrier_answers`: Twilio answers its own keywords (STOP, START, HELP, ...), so the app
    sends nothing after them; pass False where the number's keyword replies are switched off
    and the app should answer START and HELP itself (never STOP: the number is blocked).
    """
    keyword = classify(inbound.body, opted_out=opted_out, case_prefix=case_prefix)
    carrier = carrier_answers and is_carrier_keyword(inbound.body, opted_out=opted_out)
    if keyword is not None and keyword.kind == "start":
        return _opt_in(memory, inbound, keyword, carrier)
    if opted_out:  # their reports still count; they just get no texts back
        if keyword is not None and keyword.kind != "new":
            return Decision(memory, (), None)  # HELP, STATUS, STOP again: nothing to say
        # NEW still starts a new case: without it the next report would be taken as the
        # answer to the last question (a place, a choice) and never become a concern.
        silent = step(
            memory,
            inbound,
            locate=locate,
            opted_out=False,
            timeout=timeout,
            case_number_for_new=case_number_for_new,
            category_label=category_label,
            carrier_answers=carrier_answers,
            case_prefix=case_prefix,
        )
        return replace(silent, reply=None)
    if keyword is not None and keyword.kind == "stop":
        return _opt_out(memory, inbound, keyword)
    memory, effects = _expire(memory, inbound.received_at, timeout)
    language = _language_of(inbound.body, keyword, memory.language)
    if language != memory.language:
        effects += (SetLanguage(language),)
    memory = replace(memory, language=language, updated_at=inbound.received_at)
    if keyword is not None:
        return _keyword(memory, effects, keyword, carrier)
    context = _Context(
        inbound=inbound,
        text=(inbound.body or "").strip(),
        locate=locate,
        label=category_label or builtin_category_label,
        case_number_for_new=case_number_for_new,
    )
    return HANDLERS[memory.state](memory, effects, context)


def _opt_in(memory: Memory, inbound: Inbound, keyword: Keyword, carrier: bool) -> Decision:
    """START, UNSTOP, INICIO (YES when opted out): opt in; the conversation goes on as it was."""
    language = _language_or(keyword_language(keyword) or memory.language, "en")
    effects: tuple[Effect, ...] = (OptIn(),)
    if language != memory.language:
        effects += (SetLanguage(language),)
    memory = replace(memory, language=language, updated_at=inbound.received_at)
    return Decision(memory, effects, None if carrier else Reply("started"))


def _opt_out(memory: Memory, inbound: Inbound, keyword: Keyword) -> Decision:
    """STOP and friends: opt out; confirm only when Twilio did not (it blocks the number)."""
    language = keyword_language(keyword) or detect_language(inbound.body, memory.language)
    effects: tuple[Effect, ...] = (OptOut(),)
    if language != memory.language:
        effects += (SetLanguage(language),)
    fresh = replace(Memory.fresh(language), updated_at=inbound.received_at)
    silent = is_carrier_keyword(inbound.body)
    return Decision(fresh, effects, None if silent else Reply("stopped"))


def expire(memory: Memory, now: datetime, timeout: timedelta) -> tuple[Memory, tuple[Effect, ...]]:
    """The memory and effects of a conversation left quiet until `now` (unchanged if not)."""
    return _expire(memory, now, timeout)


def _expire(memory: Memory, now: datetime, timeout: timedelta) -> tuple[Memory, tuple[Effect, ...]]:
    """A quiet conversation is over; a concern left without a place goes to staff."""
    if memory.updated_at is None or _utc(now) - _utc(memory.updated_at) <= timeout:
        return memory, ()
    return Memory.fresh(memory.language), _abandon(memory)


def _utc(moment: datetime) -> datetime:
    """An aware datetime; a naive one (SQLite drops the zone) is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _abandon(memory: Memory) -> tuple[Effect, ...]:
    """MarkLocationNeeded when leaving a concern we were still asking about."""
    waiting = memory.state in (State.AWAITING_LOCATION, State.AWAITING_CHOICE)
    return (MarkLocationNeeded(),) if waiting else ()


def _keyword(
    memory: Memory, effects: tuple[Effect, ...], keyword: Keyword, carrier: bool
) -> Decision:
    """HELP, STATUS and NEW (opt-in and opt-out are handled before)."""
    if keyword.kind == "help":
        return Decision(memory, effects, None if carrier else Reply("help"))
    if keyword.kind == "status":
        values = {"case_number": keyword.case_number, "cases": []}
        return Decision(memory, effects, Reply("status", values))
    fresh = replace(Memory.fresh(memory.language), updated_at=memory.updated_at)
    return Decision(fresh, effects + _abandon(memory), Reply("ask_concern"))


def _idle(memory: Memory, effects: tuple[Effect, ...], ctx: _Context) -> Decision:
    """A first text: create the concern and find its place."""
    if not ctx.text or _is_greeting(ctx.text) or _says_nothing(ctx):
        return Decision(memory, effects, Reply("ask_concern"))
    code = categorize(ctx.text)
    category = {"category": code, "category_label": ctx.label(code, memory.language)}
    verdict, options = judge(ctx.locate(ctx.text))
    place = options[0] if verdict == "confident" else None
    memory = replace(
        memory,
        concern_id=None,
        case_number=ctx.case_number_for_new,
        tries=0,
        category=code,
        place=_where(place),
    )
    effects += (CreateConcern(ctx.text, code, place, memory.language), *_media(ctx))
    number = {"case_number": memory.case_number}
    if verdict == "confident":
        values = {**number, **category, **_place_values(options[0])}
        return Decision(_open(memory), effects, Reply("received", values))
    if verdict == "ambiguous":
        return _offer(memory, effects, options, first=True)
    memory = replace(memory, state=State.AWAITING_LOCATION)
    return Decision(memory, effects, Reply("ask_location", {**number, **category}))


def _awaiting_location(memory: Memory, effects: tuple[Effect, ...], ctx: _Context) -> Decision:
    """The resident answers where: an address, a block, cross streets."""
    if not ctx.text:
        return _media_only(memory, effects, ctx, "ask_location_again")
    return _attempt(memory, effects + _media(ctx), ctx)


def _awaiting_choice(memory: Memory, effects: tuple[Effect, ...], ctx: _Context) -> Decision:
    """The resident picks 1, 2 or 3, says none of them, or tries another place."""
    if not ctx.text:
        return _media_only(memory, effects, ctx, "ask_location_again")
    effects += _media(ctx)
    picked = _pick(ctx.text, len(memory.choices))
    if picked is not None:
        place = memory.choices[picked]
        return _located(memory, (*effects, SetPlace(place)), place, corrected=False)
    if _is_none(ctx.text) or _number(ctx.text) is not None:
        return _failed(memory, effects, text=None)
    return _attempt(memory, effects, ctx)


SAME_PLACE_M = 200.0


def _where(place: dict[str, Any] | None) -> dict[str, Any] | None:
    if not place:
        return None
    return {key: place.get(key) for key in ("label", "lat", "lon")}


def _another_problem(memory: Memory, category: str, place: dict[str, Any]) -> bool:
    """A new kind of problem, or the same kind far from this case: a new concern."""
    if category == "other":
        return False
    if category != memory.category:
        return True
    return _metres(memory.place, place) > SAME_PLACE_M


def _metres(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float:
    if not a or not b or a.get("lat") is None or b.get("lat") is None:
        return 0.0
    return metres(a["lat"], a["lon"], b["lat"], b["lon"])


def _open(memory: Memory) -> Memory:
    """The memory of a conversation whose concern is placed (or left to staff)."""
    return replace(memory, state=State.OPEN, tries=0, choices=())


def _open_state(memory: Memory, effects: tuple[Effect, ...], ctx: _Context) -> Decision:
    """After the place: a correction moves the concern, anything else is a follow-up."""
    if not ctx.text:
        return _media_only(memory, effects, ctx, "followup_added")
    place = ctx.locate(ctx.text)
    verdict, options = judge(place)
    wrong = _says_wrong_place(ctx.text)
    if (
        verdict == "confident"
        and not wrong
        and not _sounds_like_correction(ctx.text)
        and _another_problem(memory, categorize(ctx.text), options[0])
    ):  # "also shots fired at 35th and Burleigh": another problem, another case
        return _idle(replace(memory, state=State.IDLE), effects, ctx)
    effects += _media(ctx)
    addressy = place.kind in ADDRESS_KINDS and len(ctx.text.split()) <= CORRECTION_MAX_WORDS
    if verdict == "confident" and (wrong or addressy or _sounds_like_correction(ctx.text)):
        return _located(memory, (*effects, SetPlace(options[0])), options[0], corrected=True)
    effects += (AddFollowUp(ctx.text),)
    if verdict == "ambiguous" and (wrong or addressy):
        return _offer(memory, effects, options, first=False)
    if verdict == "none" and wrong:
        memory = replace(memory, state=State.AWAITING_LOCATION, tries=0)
        return Decision(memory, effects, Reply("ask_location_again", _number_values(memory)))
    values = {**_number_values(memory), "media": ctx.inbound.num_media > 0}
    return Decision(memory, effects, Reply("followup_added", values))


HANDLERS: dict[State, Callable[[Memory, tuple[Effect, ...], _Context], Decision]] = {
    State.IDLE: _idle,
    State.AWAITING_LOCATION: _awaiting_location,
    State.AWAITING_CHOICE: _awaiting_choice,
    State.OPEN: _open_state,
}


def judge(place: Place) -> tuple[Literal["confident", "ambiguous", "none"], tuple[dict, ...]]:
    """Whether a place is confident, ambiguous (with up to 3 options as dicts) or not found."""
    if not place.found:
        return "none", ()
    rivals = [
        alt
        for alt in place.alternatives
        if alt.found
        and alt.label != place.label
        and alt.confidence >= place.confidence - CLOSE_RIVAL
    ]
    if place.confidence > CONFIDENT and not rivals:
        return "confident", (place.to_dict(with_alternatives=False),)
    options: dict[str, dict[str, Any]] = {}
    for candidate in (place, *place.alternatives):
        if candidate.found and candidate.label not in options:
            options[candidate.label] = candidate.to_dict(with_alternatives=False)
    return "ambiguous", tuple(options.values())[:MAX_CHOICES]


def _attempt(memory: Memory, effects: tuple[Effect, ...], ctx: _Context) -> Decision:
    """Locate a reply meant as a place: placed, choices offered, or one more failed try."""
    verdict, options = judge(ctx.locate(ctx.text))
    if verdict != "none" and len(ctx.text.split()) > CORRECTION_MAX_WORDS:
        # "It's the abandoned house at 2847 N 35th, doors open": the place, and more words
        # the resident wants on the case; keep them.
        effects += (AddFollowUp(ctx.text),)
    if verdict == "confident":
        return _located(memory, (*effects, SetPlace(options[0])), options[0], corrected=False)
    if verdict == "ambiguous":
        return _offer(memory, effects, options, first=False)
    return _failed(memory, effects, text=ctx.text)


def _failed(memory: Memory, effects: tuple[Effect, ...], *, text: str | None) -> Decision:
    """A reply that gave no place: ask again, or after MAX_TRIES hand the concern to staff."""
    if text:
        effects += (AddFollowUp(text),)
    memory = replace(memory, tries=memory.tries + 1, choices=())
    if memory.tries >= MAX_TRIES:
        effects += (MarkLocationNeeded(),)
        return Decision(_open(memory), effects, Reply("location_needed", _number_values(memory)))
    memory = replace(memory, state=State.AWAITING_LOCATION)
    return Decision(memory, effects, Reply("ask_location_again", _number_values(memory)))


def _offer(
    memory: Memory, effects: tuple[Effect, ...], options: tuple[dict, ...], *, first: bool
) -> Decision:
    """Offer numbered places to choose from."""
    memory = replace(memory, state=State.AWAITING_CHOICE, choices=options)
    values = {
        **_number_values(memory),
        "choices": [option.get("label", "") for option in options],
        "first": first,
    }
    return Decision(memory, effects, Reply("choose", values))


def _located(
    memory: Memory, effects: tuple[Effect, ...], place: dict[str, Any], *, corrected: bool
) -> Decision:
    """The concern has its place: say where, and that a correction is welcome."""
    values = {**_number_values(memory), **_place_values(place), "corrected": corrected}
    memory = replace(memory, place=_where(place))
    return Decision(_open(memory), effects, Reply("located", values))


def _media_only(
    memory: Memory, effects: tuple[Effect, ...], ctx: _Context, template: str
) -> Decision:
    """A text with no words: keep its photos, and answer only when there were some."""
    if ctx.inbound.num_media <= 0:
        return Decision(memory, effects, None)
    values = {**_number_values(memory), "media": True}
    return Decision(memory, (*effects, AttachMedia()), Reply(template, values))


def _media(ctx: _Context) -> tuple[Effect, ...]:
    """AttachMedia when the text carried photos."""
    return (AttachMedia(),) if ctx.inbound.num_media > 0 else ()


def _number_values(memory: Memory) -> dict[str, Any]:
    """The case number value every concern reply carries."""
    return {"case_number": memory.case_number}


def _place_values(place: dict[str, Any]) -> dict[str, Any]:
    """Reply values describing a place."""
    return {"place_label": place.get("label") or "", "neighborhood": place.get("neighborhood")}


# Replies to a numbered offer.
NONE_WORDS = frozenset({"none", "neither", "nope", "no", "ninguno", "ninguna", "nada", "otro"})
YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "si", "correct", "correcto", "ok", "okay"})


def _number(text: str) -> int | None:
    """The number a reply consists of ("2", "#2", "2.", "option 2"), or None."""
    match = re.fullmatch(r"(?:#|no|number|num|option|opcion|numero)?\s*(\d{1,2})", fold(text))
    return int(match.group(1)) if match else None


def _pick(text: str, count: int) -> int | None:
    """The 0-based index of the offered place a reply picks, or None."""
    number = _number(text)
    if number is not None:
        return number - 1 if 1 <= number <= count else None
    return 0 if count == 1 and fold(text) in YES_WORDS else None


def _is_none(text: str) -> bool:
    """True for "0", "none", "ninguno" and the like."""
    folded = fold(text)
    return folded in NONE_WORDS or folded in {"none of them", "ninguno de esos"}


GREETINGS = frozenset({"hi", "hello", "hey", "hola", "buenas", "buenos dias", "good morning"})


def _says_nothing(ctx: _Context) -> bool:
    """No words at all ("1", "??", "👍"): an answer to an old question, not a report."""
    return not ctx.inbound.num_media and not any(ch.isalpha() for ch in ctx.text)


def _is_greeting(text: str) -> bool:
    """True for a bare greeting, which gets asked what is happening."""
    return fold(text) in GREETINGS


PLACE_NOUNS = r"(place|address|house|location|spot|street|block|corner|one|side|intersection)"
WRONG_PLACE = re.compile(
    rf"^(wrong|incorrect)\b|\b(wrong|incorrect) {PLACE_NOUNS}\b|\bnot (there|that {PLACE_NOUNS})\b"
    rf"|\bnot the right {PLACE_NOUNS}\b|\b(lugar|direccion|casa|calle) (equivocad|incorrect)[oa]\b"
    r"|^(equivocad|incorrect)[oa]\b|\bno es (ahi|alli|ese lugar|esa casa|esa direccion)\b"
)
CORRECTION_START = re.compile(r"^(no|not|nope|actually|sorry|correction|es en|no es|perdon)\b")
CORRECTION_ANYWHERE = re.compile(
    r"\b(meant|actually|i mean|the address is|correct address|right address"
    r"|es en|no es|quise decir|quiero decir|en realidad|la direccion es|direccion correcta)\b"
)


def _says_wrong_place(text: str) -> bool:
    """True when the resident says the place we found is wrong."""
    return bool(WRONG_PLACE.search(fold(text)))


def _sounds_like_correction(text: str) -> bool:
    """True for words that usually introduce a corrected place ("no, it's ...", "es en ...")."""
    folded = fold(text)
    return bool(CORRECTION_START.search(folded) or CORRECTION_ANYWHERE.search(folded))


_SPANISH = (
    "el la los las de del en que y por para con una un es son hay casa calle esquina mi mis muy"
    " esta estan donde aqui alli gracias hola porque pero todos todas noche dia dias vecinos"
    " venden vendiendo drogas disparos balazos basura cerca frente entre al se lo le su sus ya"
    " tiene hace personas gente carros ruido luz ayuda favor numero direccion abandonada"
    " tiraron anoche hoy ayer siempre otra otro nadie cuadra callejon tienda parque perdon"
    " ninguno ninguna si buenas buenos tardes como quien cuando mucho mucha mensajes manden"
    " dejen enviarme mandarme quiero mas textos caso estado"
)
_ENGLISH = (
    "the and is are was were there they them their on of at in to it this that with from my"
    " near house street selling people drugs shots every night corner have has been please"
    " thanks thank you wrong not actually meant block by behind next across its im we our"
    " hello hi what where when who why how yes none again still back today yesterday"
)
SPANISH_WORDS = frozenset(_SPANISH.split())
ENGLISH_WORDS = frozenset(_ENGLISH.split())
SPANISH_MARKS = re.compile(r"[áéíóúñü¿¡]", re.IGNORECASE)


def detect_language(text: str, default: str = "en") -> Language:
    """ "es" or "en" from the words and marks of a text; `default` when it does not say."""
    spanish = 2 * len(SPANISH_MARKS.findall(text or ""))
    english = 0
    for word in fold(text).split():
        spanish += word in SPANISH_WORDS
        english += word in ENGLISH_WORDS
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    return _language_or(default, "en")


def _language_of(body: str, keyword: Keyword | None, current: str) -> Language:
    """The language of an inbound text: from a keyword word, else from its words."""
    if keyword is not None:
        implied = keyword_language(keyword)
        if implied is not None:
            return implied  # type: ignore[return-value]
    return detect_language(body, current)


def _language_or(language: Any, default: str) -> Language:
    """A supported language code, or the default."""
    return language if language in ("en", "es") else default  # type: ignore[return-value]
