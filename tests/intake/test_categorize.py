"""Category from a resident's words, in English and Spanish, with typos; "other" when unsure."""

from __future__ import annotations

import pytest

from community.intake.categorize import LABELS, PRIORITY, categorize, category_label

MESSAGES = [
    # drug activity
    ("People selling drugs out of the blue house at 2847 N 35th every night", "drug_activity"),
    ("dope boys on the corner of 27th and center", "drug_activity"),
    ("trap house on N 20th st, cars in and out all night", "drug_activity"),
    ("drug dealers in the alley behind the store", "drug_activity"),
    ("venden drogas en la casa azul de la calle 16", "drug_activity"),
    ("Están vendiendo droga en la esquina", "drug_activity"),
    ("sellin drugz by the bus stop", "drug_activity"),
    # shots fired
    ("heard shots fired near 35th and Burleigh", "shots_fired"),
    ("gunfire last night on Teutonia", "shots_fired"),
    ("Disparos anoche en la calle 16 y Mitchell", "shots_fired"),
    ("balazos cerca del parque", "shots_fired"),
    ("there was shootting last nigth", "shots_fired"),
    ("selling drugs and somebody got shot", "shots_fired"),
    # violent crime
    ("a fight outside the bar every weekend", "violent_crime"),
    ("pelea afuera de la tienda", "violent_crime"),
    ("someone was stabbed on the corner", "violent_crime"),
    ("a guy pointing a gun at kids", "violent_crime"),
    ("me asaltaron en la parada del bus", "violent_crime"),
    # prostitution
    ("prostitution on the corner of 27th and Kilbourn", "prostitution"),
    ("there are hookers on Lisbon at night", "prostitution"),
    ("prostitutas en la esquina", "prostitution"),
    # loitering
    ("loitering at the gas station all day", "loitering"),
    ("hombres merodeando en la esquina", "loitering"),
    # nuisance property
    ("abandoned car in front of my house for weeks", "nuisance_property"),
    ("the landlord lets rats run everywhere", "nuisance_property"),
    ("carro abandonado frente a mi casa", "nuisance_property"),
    # vacant building
    ("abandoned house with broken windows", "vacant_building"),
    ("Casa abandonada en la 24", "vacant_building"),
    ("vacant boarded up house, squatters inside", "vacant_building"),
    # illegal dumping
    ("someone dumped tires in the alley", "illegal_dumping"),
    ("tiraron basura en el callejón", "illegal_dumping"),
    ("they been dumpping matresses behind the garage", "illegal_dumping"),
    # graffiti
    ("graffiti all over the garage", "graffiti"),
    ("grafiti en la pared de la escuela", "graffiti"),
    ("grafitty on the school", "graffiti"),
    # reckless driving
    ("cars speeding and drag racing on Capitol", "reckless_driving"),
    ("carreras de carros en la National", "reckless_driving"),
    ("exceso de velocidad en la calle", "reckless_driving"),
    ("people going too fast on our street", "reckless_driving"),
    # noise
    ("loud music every night", "noise"),
    ("mucho ruido los vecinos", "noise"),
    ("música a todo volumen toda la noche", "noise"),
    # streetlight
    ("streetlight out on my block", "streetlight_out"),
    ("la luz de la calle no funciona", "streetlight_out"),
    ("it is pitch dark on our block", "streetlight_out"),
    # other
    ("hello", "other"),
    ("the pothole on my street is huge", "other"),
    ("", "other"),
    ("my neighbor is spending all day outside", "other"),
]


@pytest.mark.parametrize(("text", "code"), MESSAGES)
def test_categorize(text: str, code: str) -> None:
    assert categorize(text) == code


def test_enough_messages() -> None:
    assert len(MESSAGES) >= 40
    assert {code for _, code in MESSAGES} == set(LABELS)


def test_violence_wins_ties() -> None:
    assert categorize("drug dealers and gunshots") == "shots_fired"
    assert categorize("loud music and a fight") == "violent_crime"


def test_more_matches_win() -> None:
    assert categorize("trap house, dope, dealers all day, one fight last year") == "drug_activity"


def test_a_dark_house_is_not_a_streetlight() -> None:
    assert categorize("drug dealers at the dark blue house") == "drug_activity"


def test_labels() -> None:
    assert category_label("drug_activity") == "Drug activity"
    assert category_label("drug_activity", "es") == "Venta de drogas"
    assert category_label("unknown") == "unknown"
    assert set(PRIORITY) | {"other"} == set(LABELS)


def test_labels_match_reference_data() -> None:
    from community.demo.reference import CATEGORIES

    assert {code: (en, es) for code, en, es, *_ in CATEGORIES} == LABELS
