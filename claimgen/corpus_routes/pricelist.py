"""What garages, contractors, clinics and shops charge for, in three languages, with a price range
in US dollars that the country's rate converts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from claimgen.corpus_routes.countries import Country

Line = tuple[dict[str, str], float, float, str]  # names by language, low and high price (USD), unit

MOTOR: tuple[Line, ...] = (
    ({"en": "Rear bumper cover", "fr": "Bouclier arrière", "de": "Stoßfängerverkleidung hinten"}, 280, 620, "ea"),
    ({"en": "Tail lamp assembly", "fr": "Feu arrière complet", "de": "Heckleuchte komplett"}, 140, 390, "ea"),
    (
        {"en": "Front door shell, left", "fr": "Porte avant gauche (nue)", "de": "Tür vorne links (Rohbau)"},
        420,
        900,
        "ea",
    ),
    ({"en": "Door mirror, power", "fr": "Rétroviseur électrique", "de": "Außenspiegel elektrisch"}, 150, 410, "ea"),
    ({"en": "Headlamp assembly, LED", "fr": "Projecteur LED", "de": "Scheinwerfer LED"}, 380, 1100, "ea"),
    ({"en": "Front wing / fender", "fr": "Aile avant", "de": "Kotflügel vorne"}, 190, 480, "ea"),
    ({"en": "Body labour", "fr": "Main-d'œuvre tôlerie", "de": "Karosseriearbeiten (AW)"}, 55, 95, "hr"),
    ({"en": "Paint labour", "fr": "Main-d'œuvre peinture", "de": "Lackierarbeiten"}, 55, 95, "hr"),
    ({"en": "Paint and materials", "fr": "Ingrédients peinture", "de": "Lackmaterial"}, 180, 520, "lot"),
    ({"en": "Wheel alignment", "fr": "Géométrie / parallélisme", "de": "Achsvermessung"}, 90, 160, "ea"),
    (
        {"en": "Diagnostic scan, pre/post", "fr": "Diagnostic électronique", "de": "Fehlerspeicher auslesen"},
        60,
        150,
        "ea",
    ),
)
PROPERTY: tuple[Line, ...] = (
    (
        {"en": "Water extraction and drying", "fr": "Pompage et assèchement", "de": "Wasserabsaugung und Trocknung"},
        900,
        3200,
        "day",
    ),
    (
        {
            "en": "Drywall removal and replacement",
            "fr": "Dépose et repose de plaques de plâtre",
            "de": "Trockenbau erneuern",
        },
        18,
        42,
        "m2",
    ),
    (
        {"en": "Smoke and soot cleaning", "fr": "Nettoyage suies et fumées", "de": "Ruß- und Rauchreinigung"},
        9,
        22,
        "m2",
    ),
    (
        {
            "en": "Roof tiles, supply and fix",
            "fr": "Fourniture et pose de tuiles",
            "de": "Dachziegel liefern und decken",
        },
        45,
        95,
        "m2",
    ),
    ({"en": "Kitchen wall units", "fr": "Meubles hauts de cuisine", "de": "Küchenoberschränke"}, 2400, 7800, "lot"),
    ({"en": "Flooring, engineered oak", "fr": "Parquet contrecollé chêne", "de": "Fertigparkett Eiche"}, 55, 120, "m2"),
    (
        {"en": "Debris removal and skip hire", "fr": "Évacuation des gravats", "de": "Entsorgung und Container"},
        400,
        1200,
        "lot",
    ),
    (
        {"en": "Repainting, walls and ceilings", "fr": "Peinture murs et plafonds", "de": "Malerarbeiten Wände/Decken"},
        12,
        28,
        "m2",
    ),
)
MEDICAL: tuple[Line, ...] = (
    (
        {"en": "Emergency department visit", "fr": "Consultation aux urgences", "de": "Notfallbehandlung"},
        380,
        1400,
        "ea",
    ),
    ({"en": "X-ray, cervical spine", "fr": "Radiographie du rachis cervical", "de": "Röntgen HWS"}, 90, 320, "ea"),
    ({"en": "CT scan, head", "fr": "Scanner cérébral", "de": "CT Schädel"}, 450, 1900, "ea"),
    ({"en": "Physiotherapy session", "fr": "Séance de kinésithérapie", "de": "Krankengymnastik"}, 60, 140, "ea"),
    ({"en": "Follow-up consultation", "fr": "Consultation de suivi", "de": "Kontrolluntersuchung"}, 80, 220, "ea"),
    ({"en": "Cervical collar", "fr": "Collier cervical", "de": "Halskrawatte"}, 25, 90, "ea"),
)
RETAIL: tuple[Line, ...] = (
    ({"en": "Dehumidifier 50 pint", "fr": "Déshumidificateur 20 L", "de": "Luftentfeuchter 20 l"}, 180, 320, "ea"),
    ({"en": "Wet/dry vacuum 12 gal", "fr": "Aspirateur eau et poussière", "de": "Nass-Trockensauger"}, 90, 190, "ea"),
    ({"en": "Tarpaulin 12x16 ft", "fr": "Bâche 4x5 m", "de": "Abdeckplane 4x5 m"}, 18, 45, "ea"),
    ({"en": "Box fan 20 in", "fr": "Ventilateur 50 cm", "de": "Bodenventilator 50 cm"}, 25, 60, "ea"),
    (
        {"en": "Washing machine, front load", "fr": "Lave-linge hublot", "de": "Waschmaschine Frontlader"},
        520,
        980,
        "ea",
    ),
    ({"en": "Smoke alarm, 2-pack", "fr": "Détecteur de fumée (x2)", "de": "Rauchmelder 2er-Pack"}, 20, 55, "ea"),
)


@dataclass(frozen=True)
class PricedLine:
    description: str
    quantity: float
    unit: str
    unit_price: float

    @property
    def amount(self) -> float:
        return round(self.quantity * self.unit_price, 2)


def draw_lines(rng: random.Random, country: Country, catalogue: tuple[Line, ...], count: int) -> list[PricedLine]:
    """`count` different lines at prices in the country's currency."""
    lines = []
    for names, low, high, unit in rng.sample(catalogue, count):
        quantity = {
            "hr": rng.randrange(2, 19) / 2,
            "m2": float(rng.randrange(6, 60)),
            "day": float(rng.randrange(2, 6)),
        }.get(unit, float(rng.choice((1, 1, 1, 2))))
        price = rng.uniform(low, high) * country.usd_rate
        price = round(price, 0 if country.code == "IN" else 2)
        lines.append(PricedLine(names[country.lang], quantity, unit, price))
    return lines
