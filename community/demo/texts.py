"""Plausible resident texts per category, in English and Spanish; {addr} is the place."""

from __future__ import annotations

TEXTS: dict[str, dict[str, list[str]]] = {
    "drug_activity": {
        "en": [
            "people selling drugs out of the house at {addr} every night",
            "drug dealing in front of {addr}, cars stopping all day",
            "ppl selling drugs out the blue house {addr} every nite",
            "hand to hand sales on the corner by {addr}, kids walk past to school",
        ],
        "es": [
            "venden drogas en la casa de {addr} todas las noches",
            "hay venta de drogas frente a {addr}, carros paran todo el día",
        ],
    },
    "shots_fired": {
        "en": [
            "shots fired near {addr} around 11pm",
            "heard about 6 gunshots by {addr} last night",
        ],
        "es": ["escuchamos disparos cerca de {addr} anoche"],
    },
    "violent_crime": {
        "en": ["fights every weekend outside {addr}", "someone got jumped in front of {addr}"],
        "es": ["peleas cada fin de semana afuera de {addr}"],
    },
    "prostitution": {
        "en": ["prostitution activity on the block at {addr}, late at night"],
        "es": ["prostitución en la cuadra de {addr} en la noche"],
    },
    "loitering": {
        "en": ["group hanging out all night at {addr}, drinking and yelling"],
        "es": ["grupo de personas toda la noche en {addr}"],
    },
    "nuisance_property": {
        "en": ["the house at {addr} has people coming and going all night, trash everywhere"],
        "es": ["la casa en {addr} es un problema, gente entrando y saliendo toda la noche"],
    },
    "vacant_building": {
        "en": [
            "abandoned house at {addr}, doors open and people sleeping inside",
            "vacant building {addr} boarded up but someone broke in",
        ],
        "es": ["casa abandonada en {addr}, la puerta está abierta"],
    },
    "illegal_dumping": {
        "en": [
            "someone dumped tires and a couch in the alley behind {addr}",
            "mattresses and trash dumped at {addr} again",
        ],
        "es": ["tiraron basura y llantas en el callejón detrás de {addr}"],
    },
    "graffiti": {
        "en": ["gang graffiti on the garage at {addr}"],
        "es": ["grafiti en el garaje de {addr}"],
    },
    "reckless_driving": {
        "en": [
            "cars speeding and drag racing past {addr} every evening",
            "reckless driving near {addr}, almost hit a kid",
        ],
        "es": ["carros a exceso de velocidad frente a {addr}"],
    },
    "noise": {
        "en": ["loud music until 3am at {addr}"],
        "es": ["música muy fuerte hasta las 3am en {addr}"],
    },
    "streetlight_out": {
        "en": ["streetlight out in front of {addr}, very dark at night"],
        "es": ["la luz de la calle no funciona frente a {addr}"],
    },
    "other": {
        "en": ["something is not right at {addr}, please have someone look"],
        "es": ["algo pasa en {addr}, por favor revisen"],
    },
}
