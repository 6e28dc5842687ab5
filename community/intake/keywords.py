"""SMS keywords checked before the conversation: opt-out, opt-in, help, status, new concern.

Pure functions over the message body. Single words match in any case, with or without
accents and with surrounding punctuation; a few free-text opt-outs ("stop texting me",
"no me manden mensajes") count too, while "stop selling drugs" or "make them stop" do not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from community.casenumber import normalize_case_number

KeywordKind = Literal["stop", "start", "help", "status", "new"]

STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
    | {"parar", "alto", "baja", "cancelar"}
)
START_WORDS = frozenset({"start", "unstop", "inicio"})
# YES (and Spanish SI) opt back in only when the resident is opted out.
START_WHEN_OPTED_OUT = frozenset({"yes", "si"})
HELP_WORDS = frozenset({"help", "info", "ayuda"})
STATUS_WORDS = frozenset({"status", "estado"})
NEW_WORDS = frozenset({"new", "nuevo", "nueva"})

# Handled by Twilio itself (long codes and Messaging Services): it replies before we see them.
CARRIER_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
    | {"start", "unstop", "help", "info"}
)

SPANISH_KEYWORDS = frozenset({"parar", "alto", "baja", "cancelar", "inicio", "ayuda", "estado"})
SPANISH_KEYWORDS |= {"nuevo", "nueva", "si"}

# Words that may surround a lone keyword without changing it ("STOP please", "ayuda por favor").
FILLER = frozenset(
    {"please", "pls", "plz", "now", "it", "just", "ok", "okay", "thanks", "thank", "you"}
    | {"por", "favor", "ya", "gracias"}
)
# ... and after STATUS ("status of my case") or NEW ("new report").
STATUS_FILLER = FILLER | {"of", "my", "case", "cases", "report", "on", "for", "de", "mi", "mis"}
STATUS_FILLER |= {"caso", "casos", "reporte", "del"}
NEW_FILLER = frozenset({"case", "report", "concern", "one", "caso", "reporte", "problema"})

FREE_TEXT_STOP = [
    re.compile(p)
    for p in (
        r"\bstop (texting|txting|texing|messaging|msging|contacting|sending) (me|us)\b",
        r"\bstop (texting|txting|messaging)\s*$",
        r"\bstop sending (me |us )?(any )?(more )?(texts?|messages?|sms)\b",
        r"\b(dont|do not|never) (text|txt|message|contact|sms) (me|us)\b",
        r"\b(dont|do not) send (me|us) (any )?(more )?(texts?|messages?)\b",
        r"\bno more (texts|messages|txts)\b",
        r"\b(unsubscribe|opt) me( out)?\b",
        r"\bremove (me|my number) from\b",
        r"\btake (me|my number) off\b",
        r"\bleave me alone\b",
        r"\bno me (manden|mande|envien|envie|escriban|escriba|contacten)\b",
        r"\bdejen? de (enviarme|mandarme|escribirme|contactarme|enviar|mandar)\b",
        r"\bya no (me )?(manden|envien|escriban|quiero) (mas )?(mensajes|textos)?\b",
        r"\bno quiero (recibir )?(mas )?(mensajes|textos)\b",
        r"\b(borren|quiten|saquen) mi numero\b",
    )
]


@dataclass(frozen=True)
class Keyword:
    """A recognized keyword; `case_number` is set for STATUS with a valid case number."""

    kind: KeywordKind
    case_number: str | None = None
    word: str = ""


def fold(text: str) -> str:
    """Lowercase, accents removed, apostrophes dropped, other punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.sub(r"[^a-z0-9-]+", " ", plain).split())


def words(text: str) -> list[str]:
    """The folded words of a text, hyphens removed ("opt-out" is "optout", "MKE-7K3Q" "mke7k3q")."""
    return [w.replace("-", "") for w in fold(text).split() if w.replace("-", "")]


def is_carrier_keyword(body: str, *, opted_out: bool = False) -> bool:
    """True for the exact single words Twilio answers itself (YES too when opted out).

    Deliberately strict (only surrounding whitespace ignored): when unsure we answer ourselves,
    and an answer to a number Twilio has already blocked just fails with error 21610.
    """
    word = (body or "").strip().lower()
    return word in CARRIER_WORDS or (opted_out and word == "yes")


def classify(body: str, *, opted_out: bool = False, case_prefix: str = "MKE") -> Keyword | None:
    """The keyword a body is, or None for ordinary text."""
    tokens = words(body)
    if not tokens:
        return None
    if tokens[0] in STATUS_WORDS:
        return _status(tokens[0], [t for t in tokens[1:] if t not in STATUS_FILLER], case_prefix)
    lone = [t for t in tokens if t not in FILLER]
    if lone and lone[0] in NEW_WORDS and set(lone[1:]) <= NEW_FILLER:
        return Keyword("new", word=lone[0])
    if "".join(lone) in {"optout", "stopall"}:
        lone = ["".join(lone)]
    if len(lone) == 1:
        kind = _single_kind(lone[0], opted_out)
        if kind is not None:
            return Keyword(kind, word=lone[0])
    if _free_text_stop(" ".join(tokens)):
        return Keyword("stop")
    return None


def _single_kind(word: str, opted_out: bool) -> KeywordKind | None:
    """The kind of a lone keyword word."""
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS or (opted_out and word in START_WHEN_OPTED_OUT):
        return "start"
    if word in HELP_WORDS:
        return "help"
    if word in NEW_WORDS:
        return "new"
    return None


def _status(head: str, meaningful: list[str], prefix: str) -> Keyword | None:
    """STATUS alone, with filler words, or followed by a case number."""
    if not meaningful:
        return Keyword("status", word=head)
    number = normalize_case_number(" ".join(meaningful), prefix)
    return Keyword("status", case_number=number, word=head) if number else None


def _free_text_stop(text: str) -> bool:
    """True when free text asks us to stop texting."""
    return any(p.search(text) for p in FREE_TEXT_STOP)


def keyword_language(keyword: Keyword) -> str | None:
    """The language a keyword implies: Spanish ones say Spanish; others say nothing."""
    if keyword.word in SPANISH_KEYWORDS:
        return "es"
    # English keywords say nothing: Spanish speakers type STATUS and HELP too, and switching
    # a resident who writes Spanish to English replies would be a step back.
    return None
