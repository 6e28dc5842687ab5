"""Spanish as Milwaukee's Spanish speakers write places, put in the English roles the parser knows.

"venden drogas en la esquina de la 16 sur y National", "la cuadra del mil trescientos de la
calle 35 norte", "frente a la escuela Bruce Guadalupe": accents are already gone (text.clean);
here phone spellings are mended ("ezquina", "kuadra", "i" for "y"), numbers written as words or
as Spanish ordinals ("treinta y cinco", "la 16va") become digits, place words take their English
role ("esquina" -> CORNER, "cuadra" -> BLOCK, "sur" -> SOUTH), and filler words are dropped.
A direction written after the street ("la 16 sur") is left there: community.geo.mentions reads
it. Nothing changes unless the message reads as Spanish.
"""

from __future__ import annotations

import re

from community.geo.text import Token

# Words that mark a message as Spanish (two or more: "venden drogas en la esquina ...").
SPANISH_CUES = frozenset(
    [
     "Y", "LA", "EL", "DE", "DEL", "EN", "CALLE", "ESQUINA", "CERCA", "VENDEN", "HAY", "CASA",
     "DROGAS", "DISPAROS", "CUADRA", "ENTRE", "NOCHE", "POR", "FAVOR", "QUE", "LOS", "LAS",
     "ESTA", "ESTAN", "CARROS", "BASURA", "CALLEJON", "FRENTE", "DETRAS", "ESCUELA", "PARQUE",
     "AVENIDA", "TODAS", "NOCHES", "GENTE", "PELEAS", "TIRARON", "CON", "BLOQUE", "SUR", "NORTE",
     "OESTE", "LADO", "BALAZOS", "FIESTAS", "EZQUINA", "ESKINA", "KALLE", "KUADRA", "IGLESIA",
     "TIRAN", "MUY", "ALTA", "SECUNDARIA", "PRIMARIA", "PREPA", "BIBLIOTECA", "AFUERA",
     "ATRAS", "ENFRENTE", "ESTACION", "CLINICA", "CUADRAS", "BLOQUES",
    ]
)  # fmt: skip
# Phone spellings -> the Spanish word ("ezquina" -> ESQUINA).
SPELLINGS = {
    "EZQUINA": "ESQUINA", "ESKINA": "ESQUINA", "EZKINA": "ESQUINA", "ESQINA": "ESQUINA",
    "ESQUNA": "ESQUINA", "KALLE": "CALLE", "CAYE": "CALLE", "KAYE": "CALLE", "CALE": "CALLE",
    "KUADRA": "CUADRA", "QUADRA": "CUADRA", "CUADRAS": "CUADRA", "BLOKE": "BLOQUE",
    "SERCA": "CERCA", "SERKA": "CERCA", "DETRAZ": "DETRAS", "ESKUELA": "ESCUELA",
    "ESCUALA": "ESCUELA", "ESCULA": "ESCUELA", "PARKE": "PARQUE", "IGLECIA": "IGLESIA",
    "ABENIDA": "AVENIDA", "NTE": "NORTE", "NORT": "NORTE",
    "I": "Y", "ENFRENTE": "FRENTE", "DELANTE": "FRENTE", "ATRAS": "DETRAS", "BLOC": "BLOQUE",
    "BLOCKE": "BLOQUE", "CUDRA": "CUADRA", "BULEVARD": "BULEVAR",
}  # fmt: skip
# Spanish place words -> the English word the parser knows.
ROLES = {
    "Y": "AND", "CON": "AND", "ESQUINA": "CORNER", "ESQ": "CORNER", "CERCA": "NEAR",
    "JUNTO": "NEAR", "FRENTE": "NEAR", "LADO": "NEAR", "DETRAS": "BEHIND", "ENTRE": "BETWEEN",
    "CUADRA": "BLOCK", "BLOQUE": "BLOCK", "ESCUELA": "SCHOOL", "COLEGIO": "SCHOOL",
    "NORTE": "NORTH", "SUR": "SOUTH", "OESTE": "WEST", "EN": "ON", "NUM": "NUMERO",
    "CRUCE": "CORNER", "INTERSECCION": "CORNER", "PRIMARIA": "ELEMENTARY",
    "SECUNDARIA": "SCHOOL", "PREPARATORIA": "HIGH", "PREPA": "HIGH", "ACADEMIA": "ACADEMY",
    "INTERMEDIA": "MIDDLE", "SURESTE": "SOUTHEAST", "SUROESTE": "SOUTHWEST",
    "NORESTE": "NORTHEAST", "NOROESTE": "NORTHWEST",
}  # fmt: skip
# Words that carry no place; dropped from Spanish messages.
FILLER = frozenset(["DE", "DEL", "LA", "EL", "LOS", "LAS", "AL", "A", "CALLE", "NO"])
# Spanish words that come before the name they describe: "parque Washington" -> Washington PARK.
# ("avenida National" is read by community.geo.mentions: the name may be several words.)
PREFIX_TYPES = {"PARQUE": "PARK"}
# "Av." / "Blvd." written before the name, after one of these words, is "avenida" / "bulevar".
ABBREVIATED_TYPES = {"AV": "AVENIDA", "AVE": "AVENIDA", "BLVD": "BULEVAR"}
TYPE_BEFORE_NAME = FILLER | {"EN", "Y", "I", "CON", "ENTRE", "ESQUINA", "CERCA", ""}
# Words after which a number is a street ("la 16", "calle trece").
STREET_CONTEXT = frozenset({"LA", "CALLE", "Y", "CON", "ESQUINA", "DE", "ENTRE"})

UNITS = {
    "UNO": 1, "UN": 1, "UNA": 1, "DOS": 2, "TRES": 3, "CUATRO": 4, "CINCO": 5, "SEIS": 6,
    "SIETE": 7, "OCHO": 8, "NUEVE": 9,
}  # fmt: skip
TEENS = {
    "DIEZ": 10, "ONCE": 11, "DOCE": 12, "TRECE": 13, "CATORCE": 14, "QUINCE": 15,
    "DIECISEIS": 16, "DIECISIETE": 17, "DIECIOCHO": 18, "DIECINUEVE": 19, "VEINTE": 20,
    "VEINTIUNO": 21, "VEINTIUNA": 21, "VEINTIDOS": 22, "VEINTITRES": 23, "VEINTICUATRO": 24,
    "VEINTICINCO": 25, "VEINTISEIS": 26, "VEINTISIETE": 27, "VEINTIOCHO": 28,
    "VEINTINUEVE": 29,
}  # fmt: skip
TENS = {
    "TREINTA": 30, "CUARENTA": 40, "CINCUENTA": 50, "SESENTA": 60, "SETENTA": 70,
    "OCHENTA": 80, "NOVENTA": 90,
}  # fmt: skip
HUNDREDS = {
    "CIEN": 100, "CIENTO": 100, "DOSCIENTOS": 200, "TRESCIENTOS": 300, "CUATROCIENTOS": 400,
    "QUINIENTOS": 500, "SEISCIENTOS": 600, "SETECIENTOS": 700, "OCHOCIENTOS": 800,
    "NOVECIENTOS": 900,
}  # fmt: skip
ORDINALS = {
    "PRIMERA": 1, "PRIMERO": 1, "PRIMER": 1, "SEGUNDA": 2, "SEGUNDO": 2, "TERCERA": 3,
    "TERCERO": 3, "TERCER": 3, "CUARTA": 4, "CUARTO": 4, "QUINTA": 5, "QUINTO": 5, "SEXTA": 6,
    "SEXTO": 6, "SEPTIMA": 7, "SEPTIMO": 7, "OCTAVA": 8, "OCTAVO": 8, "NOVENA": 9,
    "NOVENO": 9, "DECIMA": 10, "DECIMO": 10,
}  # fmt: skip
# "la 16va", "la 6ta", "la 35ava", "la 1ra", "16a" / "16o" (from "16ª" / "16º").
_ORDINAL_DIGITS = re.compile(r"([1-9][0-9]{0,2})(AVA|AVO|VA|VO|TA|TO|RA|RO|DA|DO|NA|NO|MA|MO)")
_ORDINAL_LETTER = re.compile(r"([1-9][0-9]{0,2})[AO]")
# "treintaicinco", "treintaycinco": tens and units written as one word.
_JOINED = re.compile(f"({'|'.join(TENS)})[YI]({'|'.join(UNITS)})")


def is_spanish(tokens: list[Token]) -> bool:
    """Whether the message reads as Spanish (two or more Spanish cue words)."""
    return sum(1 for t in tokens if SPELLINGS.get(t.text, t.text) in SPANISH_CUES) >= 2


def englishify(tokens: list[Token]) -> list[Token]:
    """Spanish place words in English roles; English messages unchanged."""
    if not is_spanish(tokens):
        return tokens
    tokens = [Token(SPELLINGS.get(t.text, t.text), t.stop) for t in tokens]
    out: list[Token] = []
    pending: str | None = None
    previous = ""
    for token in spanish_numbers(tokens):
        word, before, previous = token.text, previous, token.text
        if word in ABBREVIATED_TYPES and before in TYPE_BEFORE_NAME:
            word = ABBREVIATED_TYPES[word]  # "en la Av. National": the type comes first
        if word in PREFIX_TYPES:
            pending = PREFIX_TYPES[word]
            continue
        if word == "ESTE" and out and out[-1].text[:1].isdigit():
            word = "EAST"  # "la 6 este"; elsewhere "este" is "this"
        word = ROLES.get(word, word)
        if (
            word in ("DE", "DEL")
            and out
            and out[-1].text in ("NORTH", "SOUTH", "EAST", "WEST")
            and not _house_number(out[-2] if len(out) > 1 else None)
        ):
            word = "OF"  # "al norte de la National": where along it; not "el 1615 sur de la 11"
        if word in FILLER:
            if token.stop and out:
                out[-1] = Token(out[-1].text, True)
            continue
        if pending and not (word.isalpha() and word not in ROLES.values()):
            out.append(Token(pending))  # "el parque en la 35": no name follows
            pending = None
        out.append(Token(word, token.stop and pending is None))
        if pending:
            out.append(Token(pending, token.stop))
            pending = None
    if pending:
        out.append(Token(pending, True))
    return out


def spanish_name(words: tuple[str, ...]) -> tuple[str, ...]:
    """A Spanish name as a Spanish message reads after englishify: "ESCUELA VERDE" -> SCHOOL
    VERDE, "LA CAUSA CHARTER SCHOOL" -> CAUSA CHARTER SCHOOL (so the two still match)."""
    out = []
    for word in words:
        word = ROLES.get(SPELLINGS.get(word, word), SPELLINGS.get(word, word))
        if word not in FILLER:
            out.append(word)
    return tuple(out)


def _house_number(token: Token | None) -> bool:
    """Whether a token is a house number (100 and up; lower numbers are streets: "la 16")."""
    return token is not None and token.text.isdigit() and int(token.text) >= 100


def spanish_numbers(tokens: list[Token]) -> list[Token]:
    """Numbers in words and Spanish ordinals as digits: "mil trescientos" -> 1300, "16va" -> 16.

    A lone unit ("dos", "una") or ordinal ("quinta") is a number only after "la" / "calle" /
    "y": "dos carros" stays words.
    """
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        context = i > 0 and tokens[i - 1].text in STREET_CONTEXT
        word = tokens[i].text
        digits = _ORDINAL_DIGITS.fullmatch(word) or (context and _ORDINAL_LETTER.fullmatch(word))
        if digits and int(digits.group(1)) <= 140:
            out.append(Token(digits.group(1), tokens[i].stop))
            i += 1
            continue
        if word in ORDINALS and context:
            out.append(Token(str(ORDINALS[word]), tokens[i].stop))
            i += 1
            continue
        value, used = _number_words(tokens, i)
        if value is None or (used == 1 and word in UNITS and not context):
            out.append(tokens[i])
            i += 1
            continue
        out.append(Token(str(value), tokens[i + used - 1].stop))
        i += used
    return out


def _number_words(tokens: list[Token], start: int) -> tuple[int | None, int]:
    """The number spelled from tokens[start] on, and how many tokens it took."""
    total = current = 0
    i = start
    last = ""  # kind of the last word taken: unit, teen, tens, hundred, thousand
    while i < len(tokens):
        word = tokens[i].text
        joined = _JOINED.fullmatch(word)
        if joined and last in ("", "hundred", "thousand"):
            current += TENS[joined.group(1)] + UNITS[joined.group(2)]
            last = "unit"
        elif word in HUNDREDS and last in ("", "thousand"):
            current += HUNDREDS[word]
            last = "hundred"
        elif word in TENS and last in ("", "hundred", "thousand"):
            current += TENS[word]
            last = "tens"
        elif word in TEENS and last in ("", "hundred", "thousand"):
            current += TEENS[word]
            last = "teen"
        elif word in UNITS and last in ("", "hundred", "thousand"):
            current += UNITS[word]
            last = "unit"
        elif word == "MIL" and last in ("", "unit", "teen", "tens", "hundred"):
            total += (current or 1) * 1000
            current, last = 0, "thousand"
        elif (
            word == "Y"
            and last in ("tens", "teen")
            and i + 1 < len(tokens)
            and tokens[i + 1].text in UNITS
        ):
            current += UNITS[tokens[i + 1].text]  # "treinta y cinco", "diez y seis"
            i += 1
            last = "unit"
        else:
            break
        i += 1
        if tokens[i - 1].stop:
            break
    used = i - start
    if used == 0 or (used == 1 and tokens[start].text == "MIL"):
        return None, 1
    return total + current, used
