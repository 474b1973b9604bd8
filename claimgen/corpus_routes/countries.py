"""Where claims happen: names, places, phones, plates, cars and companies of six countries.

All of it is invented for this corpus; the phone numbers sit in the ranges set aside for
fiction where a country has one (555-01xx, 020 7946 0xxx, 07700 900xxx).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from claimgen.corpus_routes.formats import DateStyle, Grouping, TimeStyle


@dataclass(frozen=True)
class Country:
    code: str
    lang: str
    currency: str
    grouping: Grouping
    numeric_date: DateStyle
    long_date: DateStyle
    time_style: TimeStyle
    usd_rate: float
    tax: tuple[str, float]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]  # city, region, postcode
    streets: tuple[str, ...]
    vehicles: tuple[tuple[str, str, str], ...]  # make, base model, world manufacturer identifier
    insurers: tuple[str, ...]
    police: tuple[str, ...]  # may name {city}


US = Country(
    "US",
    "en",
    "USD",
    "western",
    "mdy",
    "month_d_y",
    "12h",
    1.0,
    ("Sales tax", 0.0725),
    ("Marcus", "Dana", "Priya", "Trevor", "Lucia", "Owen", "Keisha", "Brandon", "Mei", "Gregory", "Alicia", "Dwayne"),
    ("Whitfield", "Okonkwo", "Alvarez", "Brennan", "Lindqvist", "Tran", "Castellano", "Pruitt", "Haddad", "Yoder"),
    (
        ("Columbus", "OH", "43215"),
        ("Tucson", "AZ", "85701"),
        ("Raleigh", "NC", "27601"),
        ("Boise", "ID", "83702"),
        ("Tacoma", "WA", "98402"),
        ("Albany", "NY", "12207"),
        ("Fresno", "CA", "93721"),
        ("Omaha", "NE", "68102"),
    ),
    (
        "Maple Avenue",
        "Birchwood Lane",
        "Commerce Street",
        "Old Mill Road",
        "Lakeview Drive",
        "Juniper Court",
        "Harrison Boulevard",
        "Quarry Road",
    ),
    (
        ("Honda", "Civic", "2HG"),
        ("Toyota", "Camry", "4T1"),
        ("Ford", "F-150", "1FT"),
        ("Chevrolet", "Malibu", "1G1"),
        ("Subaru", "Outback", "4S4"),
        ("Nissan", "Altima", "1N4"),
        ("Hyundai", "Elantra", "5NP"),
    ),
    ("Great Lakes Mutual Insurance", "Pioneer Casualty Company", "Cascade Auto Insurance", "Red Mesa Indemnity"),
    ("{city} Police Department", "{region} State Highway Patrol", "{city} County Sheriff's Office"),
)
CA = Country(
    "CA",
    "en",
    "CAD",
    "western",
    "iso",
    "month_d_y",
    "24h",
    1.36,
    ("HST", 0.13),
    ("Gabrielle", "Connor", "Amrit", "Sophie", "Mathieu", "Jenna", "Declan", "Noor"),
    ("Tremblay", "MacLeod", "Gagnon", "Sandhu", "Boucher", "Fraser", "Kowalczyk", "Nguyen"),
    (
        ("Toronto", "ON", "M5V 2T6"),
        ("Calgary", "AB", "T2P 1J9"),
        ("Halifax", "NS", "B3H 4R2"),
        ("Ottawa", "ON", "K1P 5G4"),
        ("Winnipeg", "MB", "R3C 0V8"),
    ),
    ("Queen Street West", "Bayview Avenue", "Spring Garden Road", "Portage Avenue", "Elbow Drive"),
    (("Mazda", "CX-5", "JM3"), ("Toyota", "RAV4", "2T3"), ("Honda", "CR-V", "2HK"), ("Ford", "Escape", "1FM")),
    ("Maple Shield Insurance", "Northern Lights Assurance", "Laurentian General Insurance"),
    ("{city} Police Service", "RCMP {city} Detachment"),
)
GB = Country(
    "GB",
    "en",
    "GBP",
    "western",
    "dmy",
    "d_month_y",
    "24h",
    0.79,
    ("VAT", 0.20),
    ("Oliver", "Harriet", "Rhys", "Imogen", "Callum", "Aisha", "Fraser", "Poppy", "Tobias", "Niamh"),
    ("Pemberton", "Ashworth", "Oyelaran", "Fairbairn", "Kettering", "Mistry", "Holloway", "Dunmore"),
    (
        ("Leeds", "West Yorkshire", "LS1 4AP"),
        ("Bristol", "", "BS1 5TR"),
        ("Norwich", "Norfolk", "NR2 1BH"),
        ("Cardiff", "", "CF10 1EP"),
        ("York", "North Yorkshire", "YO1 7HH"),
        ("Reading", "Berkshire", "RG1 1JX"),
    ),
    ("Wellington Road", "Mill Lane", "St Anne's Close", "Victoria Street", "Chapel Row", "Kingsway"),
    (
        ("Vauxhall", "Astra", "W0L"),
        ("Ford", "Focus", "WF0"),
        ("Nissan", "Qashqai", "SJN"),
        ("MINI", "Cooper", "WMW"),
        ("Kia", "Sportage", "U5Y"),
    ),
    ("Thameside Insurance plc", "Northgate General Insurance", "Pennine Motor Underwriters Ltd"),
    ("West Yorkshire Police", "Avon and Somerset Constabulary", "South Wales Police", "Thames Valley Police"),
)
IN = Country(
    "IN",
    "en",
    "INR",
    "indian",
    "dmy",
    "d_mon_y",
    "12h",
    83.0,
    ("GST", 0.18),
    ("Arjun", "Kavya", "Rohan", "Sneha", "Vikram", "Ananya", "Siddharth", "Meera", "Karthik", "Pooja"),
    ("Deshpande", "Iyer", "Malhotra", "Reddy", "Kulkarni", "Chatterjee", "Nair", "Bhatia", "Joshi"),
    (
        ("Pune", "Maharashtra", "411004"),
        ("Chennai", "Tamil Nadu", "600017"),
        ("Jaipur", "Rajasthan", "302001"),
        ("Kochi", "Kerala", "682016"),
        ("Hyderabad", "Telangana", "500081"),
        ("Bengaluru", "Karnataka", "560034"),
    ),
    ("MG Road", "Nehru Nagar", "Link Road", "Station Road", "Gandhi Chowk", "Ring Road"),
    (
        ("Maruti Suzuki", "Swift", "MA3"),
        ("Hyundai", "Creta", "MAL"),
        ("Tata", "Nexon", "MAT"),
        ("Mahindra", "XUV700", "MA1"),
        ("Honda", "City", "MAK"),
    ),
    ("Suraksha General Insurance Co. Ltd.", "Bharat Kavach Insurance Ltd.", "Deccan Motor Assurance Ltd."),
    ("{city} Traffic Police", "{city} City Police, Sector 4 Police Station"),
)
DE = Country(
    "DE",
    "de",
    "EUR",
    "german",
    "dmy_dot",
    "de_long",
    "de",
    0.92,
    ("MwSt.", 0.19),
    ("Jonas", "Katrin", "Felix", "Anke", "Lukas", "Miriam", "Tobias", "Sabine", "Henrik", "Leonie"),
    ("Brandt", "Köhler", "Vogel", "Schäfer", "Hartmann", "Lindner", "Wagner", "Krause", "Engel"),
    (
        ("Köln", "", "50667"),
        ("Leipzig", "", "04109"),
        ("Hannover", "", "30159"),
        ("Mainz", "", "55116"),
        ("Freiburg im Breisgau", "", "79098"),
        ("Münster", "", "48143"),
    ),
    ("Lindenstraße", "Am Mühlbach", "Goethestraße", "Bahnhofstraße", "Kastanienallee", "Ringstraße"),
    (
        ("Volkswagen", "Golf", "WVW"),
        ("BMW", "320i", "WBA"),
        ("Opel", "Corsa", "W0L"),
        ("Mercedes-Benz", "C 200", "WDD"),
        ("Audi", "A4", "WAU"),
        ("Skoda", "Octavia", "TMB"),
    ),
    ("Rheinland Versicherung AG", "Elbe Assekuranz AG", "Süddeutsche Kraftfahrt-Versicherung"),
    ("Polizeiinspektion {city}-Mitte", "Polizeipräsidium {city}", "Autobahnpolizei {city}"),
)
FR = Country(
    "FR",
    "fr",
    "EUR",
    "french",
    "dmy",
    "fr_long",
    "fr",
    0.92,
    ("TVA", 0.20),
    ("Camille", "Julien", "Élodie", "Théo", "Margaux", "Antoine", "Inès", "Baptiste", "Chloé"),
    ("Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier", "Bonnet", "Mercier"),
    (
        ("Lyon", "", "69003"),
        ("Nantes", "", "44000"),
        ("Lille", "", "59000"),
        ("Toulouse", "", "31000"),
        ("Rennes", "", "35000"),
        ("Dijon", "", "21000"),
    ),
    ("rue des Tanneurs", "avenue Jean-Jaurès", "boulevard Voltaire", "rue du Moulin", "place de la Mairie"),
    (
        ("Renault", "Clio", "VF1"),
        ("Peugeot", "308", "VF3"),
        ("Citroën", "C3", "VF7"),
        ("Dacia", "Sandero", "UU1"),
        ("Toyota", "Yaris", "VNK"),
    ),
    ("Mutuelle du Rhône", "Assurances Atlantique", "La Prévoyance Ligérienne"),
    ("Commissariat de police de {city}", "Gendarmerie nationale, brigade de {city}"),
)
COUNTRIES = {country.code: country for country in (US, CA, GB, IN, DE, FR)}


def person_name(rng: random.Random, country: Country) -> str:
    return f"{rng.choice(country.first_names)} {rng.choice(country.last_names)}"


def street_address(rng: random.Random, country: Country) -> str:
    """One line: '412 Maple Avenue, Tucson, AZ 85701' or 'Goethestraße 17, 50667 Köln'."""
    city, region, postcode = rng.choice(country.cities)
    street, number = rng.choice(country.streets), rng.randrange(2, 480)
    if country.code == "DE":
        return f"{street} {number % 90 + 1}, {postcode} {city}"
    if country.code == "FR":
        return f"{number % 120 + 1} {street}, {postcode} {city}"
    if country.code == "IN":
        return (
            f"Flat {rng.randrange(101, 905)}, {rng.choice(('Sai', 'Shanti', 'Green'))} Residency, {street}, "
            f"{city} - {postcode}"
        )
    if country.code == "GB":
        return f"{number % 200 + 1} {street}, {city} {postcode}"
    return f"{number * 10 + rng.randrange(10)} {street}, {city}, {region} {postcode}"


def intersection(rng: random.Random, country: Country, city: str) -> str:
    """Where a road accident happened in `city`, as a form records it."""
    first, second = rng.sample(country.streets, 2)
    words = {
        "en": f"{first} at {second}, {city}",
        "de": f"Kreuzung {first} / {second}, {city}",
        "fr": f"Carrefour {first} / {second}, {city}",
    }
    return words[country.lang]


def phone(rng: random.Random, country: Country, *, international: bool = False) -> str:
    """A phone number written the way that country writes it."""
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    if country.code in ("US", "CA"):
        area = rng.choice(("614", "520", "919", "253") if country.code == "US" else ("416", "403", "902"))
        local = f"555-01{digits[:2]}"
        return f"+1 {area} {local.replace('-', ' ')}" if international else f"({area}) {local}"
    if country.code == "GB":
        return rng.choice((f"+44 20 7946 0{digits[:3]}", f"020 7946 0{digits[:3]}", f"07700 900{digits[:3]}"))
    if country.code == "IN":
        mobile = rng.choice("6789") + digits + rng.choice("0123456789")
        return f"+91-{mobile}" if international or rng.random() < 0.5 else f"{mobile[:5]} {mobile[5:]}"
    if country.code == "DE":
        area = rng.choice(("30", "221", "341", "511"))
        return f"+49 {area} {digits[:7]}" if international or rng.random() < 0.5 else f"0{area} {digits[:7]}"
    pairs = " ".join(digits[index : index + 2] for index in range(0, 8, 2))
    return f"+33 {rng.choice('1456')} {pairs}" if international else f"0{rng.choice('1467')} {pairs}"


def plate(rng: random.Random, country: Country) -> str:
    """A registration plate in that country's pattern."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"

    def pick(count: int) -> str:
        return "".join(rng.choice(letters) for _ in range(count))

    def digits(count: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(count))

    patterns = {
        "US": lambda: rng.choice((f"{digits(1)}{pick(3)}{digits(3)}", f"{pick(3)}-{digits(4)}")),
        "CA": lambda: f"{pick(4)} {digits(3)}",
        "GB": lambda: f"{pick(2)}{digits(2)} {pick(3)}",
        "IN": lambda: f"{rng.choice(('MH', 'TN', 'RJ', 'KL', 'TS', 'KA'))}{digits(2)}{pick(2)}{digits(4)}",
        "DE": lambda: f"{rng.choice(('K', 'L', 'H', 'MZ', 'FR', 'MS'))}-{pick(2)} {digits(3)}",
        "FR": lambda: f"{pick(2)}-{digits(3)}-{pick(2)}",
    }
    return patterns[country.code]()


_ASCII: dict[str, str | int | None] = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "é": "e",
    "è": "e",
    "ë": "e",
    "ï": "i",
    "ç": "c",
    "š": "s",
}


def email(name: str, domain: str) -> str:
    """'jonas.koehler@example.de' from 'Jonas Köhler'."""
    plain = name.lower().translate(str.maketrans(_ASCII))
    return f"{'.'.join(plain.split())}@{domain}"
