"""Guess a concern's category from a resident's words (English and Spanish), "other" when unsure.

Each category has phrases and words (written without accents, matched on folded text).
The longest matches are kept and overlapping shorter ones dropped, so "abandoned car" is
not also "abandoned"; each match counts one. When nothing matches, words get one chance at
a close spelling ("shootting", "dumpping"), except everyday words that merely look close
(NOT_TYPOS). The most matches win; ties go to the more serious category (violence first),
following PRIORITY.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from community.intake.keywords import fold

OTHER = "other"

# Highest first: decides ties.
PRIORITY = (
    "shots_fired",
    "violent_crime",
    "drug_activity",
    "prostitution",
    "reckless_driving",
    "illegal_dumping",
    "vacant_building",
    "nuisance_property",
    "graffiti",
    "loitering",
    "noise",
    "streetlight_out",
)

# English and Spanish labels; the same as community/demo/reference.py (a test keeps them equal).
LABELS: dict[str, tuple[str, str]] = {
    "shots_fired": ("Shots fired", "Disparos"),
    "violent_crime": ("Violent crime", "Delito violento"),
    "drug_activity": ("Drug activity", "Venta de drogas"),
    "prostitution": ("Prostitution", "Prostitución"),
    "loitering": ("Loitering", "Merodeo"),
    "nuisance_property": ("Nuisance property", "Propiedad problemática"),
    "vacant_building": ("Abandoned or vacant building", "Edificio abandonado"),
    "illegal_dumping": ("Illegal dumping", "Basura tirada ilegalmente"),
    "graffiti": ("Graffiti", "Grafiti"),
    "reckless_driving": ("Speeding or reckless driving", "Exceso de velocidad"),
    "noise": ("Noise", "Ruido"),
    "streetlight_out": ("Streetlight out", "Farola apagada"),
    "other": ("Other", "Otro"),
}

# Regular-expression fragments over folded text (lowercase, no accents, no apostrophes).
TERMS: dict[str, tuple[str, ...]] = {
    "shots_fired": (
        r"shots?",
        r"shots? fired",
        r"gun ?shots?",
        r"gun ?fire",
        r"shoot(ing|in|out)?s?",
        r"shot at",
        r"got shot",
        r"(heard|hear) (shots|gunshots|gunfire|popping)",
        r"guns? going off",
        r"firing",
        r"fired (a gun|shots)",
        r"bullets?",
        r"bullet holes?",
        r"disparos?",
        r"dispar(aron|ando|an|o)",
        r"balaz(o|os)",
        r"balacera",
        r"tirote(o|os|aron)",
        r"tiros",
        r"balas?",
    ),
    "violent_crime": (
        r"fights?",
        r"fighting",
        r"assault(ed|ing)?",
        r"beat(ing)? (up|him|her|someone)",
        r"beating",
        r"stabb?(ed|ing)",
        r"knife",
        r"rob(bed|bery|beries|bing)",
        r"mugg?(ed|ing)",
        r"car ?jack(ed|ing)?",
        r"attack(ed|ing)?",
        r"threat(ened|ening)",
        r"(pointed|pointing|waving) a gun",
        r"guns?",
        r"armed",
        r"domestic (violence|abuse)",
        r"violen(ce|t)",
        r"pele(a|as|ando|aron)",
        r"golpe(aron|ando|an)",
        r"asalt(o|os|aron|ando)",
        r"robaron",
        r"robo",
        r"apunal(aron|ado)",
        r"navaja",
        r"cuchillo",
        r"amenaz(aron|ando|as)",
        r"pistolas?",
        r"armas?",
        r"violencia",
    ),
    "drug_activity": (
        r"drug[sz]?",
        r"sell(ing|in|s)? drug[sz]",
        r"drug (house|deal(s|ing|ers?)?|activity|sales?|traffic(king)?)",
        r"dealers?",
        r"dope( house| boys?)?",
        r"trap( house|house|pin|ping)?",
        r"crack( house)?",
        r"heroin",
        r"fentanyl",
        r"meth",
        r"cocaine|coke",
        r"weed",
        r"marijuana",
        r"narcotics",
        r"pills",
        r"needles",
        r"syringes?",
        r"overdos(e|ed|ing)",
        r"hand to hand",
        r"cars? (in and out|coming and going)",
        r"(in and out|coming and going) all (day|night)",
        r"(foot )?traffic all (day|night)",
        r"drogas?",
        r"(venden|vendiendo|venta de|vende) drogas?",
        r"narco(s|traficantes?)?",
        r"traficantes?",
        r"punto de venta",
        r"mota",
        r"cocaina",
        r"jeringas?",
    ),
    "prostitution": (
        r"prostitut(ion|es?)",
        r"hookers?",
        r"sex work(ers?)?",
        r"solicit(ing|ation)",
        r"johns",
        r"pimp(s|ing)?",
        r"turning tricks",
        r"escorts?",
        r"prostitu(cion|tas?)",
        r"(trabajadoras|trabajadores) sexuales",
        r"sexoservidoras?",
        r"padrotes?",
    ),
    "loitering": (
        r"loiter(ing|ers?)?",
        r"hang(ing)? (out|around)",
        r"standing around",
        r"(groups?|crowds?|bunch) of (people|guys|kids|men|teens|youth)",
        r"gather(ing|ed)",
        r"merode(ando|an|o)",
        r"vagos",
        r"(se )?juntan",
        r"grupos? de (jovenes|hombres|personas)",
        r"parados en la esquina",
    ),
    "nuisance_property": (
        r"nuisance",
        r"problem (house|property)",
        r"party house",
        r"(house )?parties",
        r"junk cars?",
        r"abandoned (car|cars|vehicle|vehicles)",
        r"(trash|garbage|junk) (in|all over) the (yard|lot)",
        r"overgrown",
        r"tall grass",
        r"rats",
        r"rodents",
        r"landlord",
        r"propiedad problematica",
        r"casa problematica",
        r"fiestas",
        r"ratas",
        r"pasto (alto|crecido)",
        r"(carros?|coches?) abandonados?",
    ),
    "vacant_building": (
        r"abandoned",
        r"vacant",
        r"boarded( up)?",
        r"empty (house|building|lot)",
        r"squatters?",
        r"nobody lives",
        r"casa abandonada",
        r"abandonad(a|o|as|os)",
        r"desocupad(a|o)",
        r"(casa|edificio) vaci(a|o)",
        r"nadie vive",
        r"tapiad(a|o)",
        r"okupas|paracaidistas",
    ),
    "illegal_dumping": (
        r"dump(ing|ed|s)?",
        r"illegal dumping",
        r"trash",
        r"garbage",
        r"tires",
        r"mattress(es)?",
        r"couch(es)?",
        r"debris",
        r"rubbish",
        r"junk",
        r"furniture",
        r"basura",
        r"tir(aron|ando|an) (basura|llantas|muebles|colchon(es)?|cosas)",
        r"tiraron",
        r"llantas",
        r"colchon(es)?",
        r"escombros",
        r"muebles",
        r"desechos",
    ),
    "graffiti": (
        r"graff?itt?(i|y|ie)?s?",
        r"tag(ging|ged)",
        r"spray ?paint(ed|ing)?",
        r"grafitis?",
        r"pintas",
        r"pintaron",
        r"rayaron",
        r"pintura en aerosol",
    ),
    "reckless_driving": (
        r"speed(ing|ers?)?",
        r"(drag|street) rac(ing|es?)",
        r"racing",
        r"reckless( driv(ing|ers?))?",
        r"(driving|drive|going) (too )?fast",
        r"too fast",
        r"(doing )?donuts",
        r"burnouts?",
        r"drifting",
        r"(ran|running|run) (the |a )?red lights?",
        r"hit and run",
        r"carreras?",
        r"exceso de velocidad",
        r"(manejan|manejando|van|corren) (muy )?rapido",
        r"a toda velocidad",
        r"velocidad",
        r"arrancones",
        r"imprudentes?",
    ),
    "noise": (
        r"loud( music| party| parties)?",
        r"music",
        r"noise",
        r"noisy",
        r"bass",
        r"fireworks",
        r"barking",
        r"ruido(s|so)?",
        r"musica (alta|fuerte|a todo volumen)",
        r"musica",
        r"escandalo",
        r"cohetes",
    ),
    "streetlight_out": (
        r"street ?lights?( (is |are )?out)?",
        r"lights? (is |are )?out",
        r"(light|lamp) poles?",
        r"street ?lamps?",
        r"lamp",
        r"pitch dark",
        r"(so |very |too )?dark (street|alley|block|corner|at night)",
        r"luz de la calle",
        r"luces de la calle",
        r"lampara",
        r"alumbrado",
        r"farolas?",
        r"poste de luz",
        r"luz apagada",
        r"(esta|muy|todo|bien) oscur(o|a|as|os)",
        r"sin luz",
    ),
}

FUZZY_CUTOFF = 0.85
# Everyday words one letter away from a term: never read them as typos.
NOT_TYPOS = frozenset({"garage", "spending", "bagging", "facing", "pacing", "spacing", "dealing"})
FUZZY_MIN_LENGTH = 5


def categorize(text: str) -> str:
    """The category code that best fits the text, "other" when nothing matches."""
    folded = f" {fold(text)} "
    scores: dict[str, int] = {}
    spans = _matches(folded)
    for _, _, code in spans:
        scores[code] = scores.get(code, 0) + 1
    if not scores:
        for word in folded.split():
            code = _fuzzy(word)
            if code:
                scores[code] = scores.get(code, 0) + 1
    if not scores:
        return OTHER
    return min(scores, key=lambda code: (-scores[code], PRIORITY.index(code)))


def category_label(code: str, language: str = "en") -> str:
    """The built-in English or Spanish label of a category code (the code itself if unknown)."""
    labels = LABELS.get(code)
    if labels is None:
        return code
    return labels[1] if language == "es" else labels[0]


def _matches(folded: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, code) term matches, longest first, then by PRIORITY."""
    found = [
        (match.start(), match.end(), code)
        for code, pattern in _patterns()
        for match in pattern.finditer(folded)
    ]
    found.sort(key=lambda m: (m[0] - m[1], PRIORITY.index(m[2])))
    chosen: list[tuple[int, int, str]] = []
    for start, end, code in found:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, code))
    return chosen


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every term as (code, compiled pattern) matching whole words of space-padded text."""
    return tuple(
        (code, re.compile(rf"(?<= )(?:{term})(?= )"))
        for code, group in TERMS.items()
        for term in group
    )


@cache
def _vocabulary() -> dict[str, str]:
    """Plain single words among the terms, for the spelling fallback."""
    vocabulary: dict[str, str] = {}
    for code, group in TERMS.items():
        for term in group:
            if re.fullmatch(r"[a-z]+", term) and len(term) >= FUZZY_MIN_LENGTH:
                vocabulary.setdefault(term, code)
    for code, words in FUZZY_EXTRA.items():
        for word in words:
            vocabulary.setdefault(word, code)
    return vocabulary


# Inflected forms the patterns write compactly, spelled out for the fuzzy fallback.
FUZZY_EXTRA: dict[str, tuple[str, ...]] = {
    "shots_fired": ("shooting", "gunshots", "gunfire", "disparos", "balazos", "balacera"),
    "violent_crime": ("fighting", "assault", "stabbed", "robbery", "carjacking", "pelea"),
    "drug_activity": ("drugs", "dealers", "heroin", "fentanyl", "drogas"),
    "prostitution": ("prostitution", "prostitutes", "hookers", "prostitucion", "prostitutas"),
    "loitering": ("loitering", "merodeando"),
    "vacant_building": ("abandoned", "abandonada", "abandonado", "vacant", "boarded"),
    "illegal_dumping": ("dumping", "garbage", "mattress", "basura", "llantas", "colchones"),
    "graffiti": ("graffiti", "grafiti"),
    "reckless_driving": ("speeding", "racing", "reckless", "carreras", "velocidad"),
    "noise": ("music", "noise", "musica", "ruido"),
    "streetlight_out": ("streetlight", "streetlights", "alumbrado", "lampara"),
}


def _fuzzy(word: str) -> str | None:
    """The category of a close spelling of a known word, or None."""
    if len(word) < FUZZY_MIN_LENGTH or not word.isalpha() or word in NOT_TYPOS:
        return None
    vocabulary = _vocabulary()
    match = difflib.get_close_matches(word, vocabulary, n=1, cutoff=FUZZY_CUTOFF)
    return vocabulary[match[0]] if match else None
