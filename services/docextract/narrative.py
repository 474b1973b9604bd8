"""Values told in sentences: FNOL letters and e-mails, narrative statements, in English, French and German.

"I am writing to report an accident on 03/03/2024 at about 11:55 am, at Commerce Street…",
"The other driver, Gregory Alvarez, is insured with Cascade Auto under policy 20-A-875236":
each value follows a cue phrase, and the sentence it is in says whose it is (a sentence about
the other driver gives the other party's policy, phone and plate). What these readings give
is only taken for fields no label gave, and with less confidence than a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from services.docextract.pairing import Pair
from services.docextract.vehicles import make_in

_ABBREVIATIONS = ("Co", "Ltd", "Inc", "Corp", "Mr", "Mrs", "Ms", "Dr", "St", "No", "Nr", "tel", "Tel", "ca", "approx")
_SENTENCE_END = re.compile("".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])")
_COMPANY_ENDS = ("Co", "Ltd", "Inc", "Corp", "AG", "SA")  # `Suraksha General Insurance Co. Ltd.` is one name
_COMPANY = r"((?:[^,;.(]|\.(?=\S)|" + "|".join(rf"(?<=\b{a})\." for a in _COMPANY_ENDS) + r")+?)"
_OTHER = re.compile(
    r"(?i)\b(?:other (?:driver|party|car|vehicle|motorist)|third[- ]party|the driver who|"
    r"conducteur adverse|partie adverse|l'autre (?:conducteur|véhicule)|tiers|son véhicule|"
    r"unfallgegner|andere[nr]? (?:fahrer|fahrzeug|wagen)|gegnerische)"
)
_MINE = re.compile(
    r"(?i)\b(?:my (?:car|vehicle|van|motorbike)|our (?:car|vehicle)|mon véhicule|ma voiture|"
    r"mein(?:en)? (?:fahrzeug|auto|wagen|pkw))\b"
)
_LOSS = re.compile(
    r"(?i)\b(?:accident|collision|crash|damage|loss|incident|fire|flood|storm|theft|stolen|burglar|"
    r"happened|occurred|took place|survenu|produit|dégât|incendie|vol\b|unfall|verkehrsunfall|brand|"
    r"sturm|einbruch|ereignete|passiert)"
)
LOSS_WINDOW = 45  # characters before a date in which words about the loss make it the loss date
_DATE = re.compile(
    r"\b\d{1,2}([/.-])\d{1,2}\1\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-[A-Za-zéû]{3,9}-\d{2,4}\b|"
    r"\b\d{1,2}\.?\s+[A-Za-zéûä]{3,9}\.?\s+\d{4}\b|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\b"
)
_TIME = re.compile(
    r"(?i)\b(?:at|around|about|approximately|vers|à|um|gegen)\s+(?:about\s+|approximately\s+|ca\.\s+)?"
    r"(\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?\s?m\.?|uhr)?)"
)
_PLACE = re.compile(
    r"(?i)^[\s,]*(?:at|in|on|near|au lieu suivant\s*:|à|au|sur|an der|auf der|in der|im|am|ort:|"
    r"location:|lieu\s*:)\s+(.+?)\s*$"
)
_POLICY = re.compile(
    r"(?i)\b(?:policy|contrat|vertrag|versicherungs(?:schein)?(?:nummer)?|police d'assurance)\s*"
    r"(?:number|no\.?|n°|nr\.?|#)?\s*(?:is\s+|:\s*|n°\s*)?"
    r"([A-Z0-9][A-Z0-9/.-]*(?:\s\d{2,}[A-Z0-9/.-]*){0,3})"
)
_CLAIM = re.compile(
    r"(?i)\b(?:claim|sinistre|schaden(?:s)?)\s*(?:number|no\.?|n°|nr\.?|reference|ref\.?|nummer)\s*"
    r"(?:is\s+|:\s*)?([A-Z0-9][A-Z0-9/.-]{3,})"
)
_PLATE = re.compile(
    r"(?i)(?:registration|reg\.|(?:licen[cs]e )?plate|immatriculée?|kennzeichen)\s*(?:number|no\.?)?"
    r"\s*(?:is\s+|:\s*)?(?-i:([A-Z0-9]{1,10}(?:[ -][A-Z0-9]{1,4}){0,2}))(?=[\s,.;)(]|$)"
)
_VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
_NAME = r"((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+(?:van|von|de|la|le)?\s*[A-ZÀ-Ý][\w'’-]+){1,3})"
_OTHER_NAME = re.compile(
    r"(?i:the other driver|the other party|third party|le conducteur adverse|la partie adverse|"
    r"der unfallgegner|die unfallgegnerin|der andere fahrer)\s*,?\s*"
    r"(?:(?:Mr|Mrs|Ms|M|Mme|Herr|Frau)\.?\s+)?" + _NAME
)
_INSURER = re.compile(
    r"(?i)\b(?:insured with|insured by|assurée? auprès de|assurée? chez|versichert bei|"
    r"(?:ist|sind) bei (?:der |dem )?)\s*"
    + _COMPANY
    + r"(?=\s+(?:under|sous|unter|with|and|et|und|versichert)\b|\s*[,;(]|\.\s|\.$|$)"
)
_POLICE = re.compile(
    r"(?i)\b(?:reported to|notified|attended by|constaté par|aufgenommen (?:von|durch)|"
    r"gemeldet (?:bei|an)|(?:von|durch) (?:der|die|den|dem))\s*(?:the\s+)?:?\s*"
    r"(.+?)(?=\s*[,(;]|\s+aufgenommen|\.\s|\.$|$)"
)
_AUTHORITY = re.compile(r"(?i)police|sheriff|constabulary|gendarmerie|polizei|commissariat|trooper|garda")
_REFERENCE = re.compile(
    r"(?i)(?:reference|ref\.|report (?:number|no\.?)|case (?:number|no\.?)|crime number|"
    r"procès-verbal n°|pv n°|récépissé n°|aktenzeichen|tagebuch-?nummer|vorgangsnummer)\s*:?\s*"
    r"([A-Z0-9][A-Z0-9 /.-]{2,20}?)(?=[),;]|\.\s|\.$|$)"
)
_ESTIMATE = re.compile(
    r"(?i)(?:estimated (?:the )?(?:repairs?|damage|cost)s? at|(?:repairs?|damage) (?:will )?cost|"
    r"estime le montant des réparations à|estime les réparations à|schätzt die "
    r"(?:reparatur)?kosten auf|kostenvoranschlag (?:über|von))\s*(.{1,24}?)(?=\.\s|\.$|,\s|;|$)"
)
_REACH_ME = re.compile(
    r"(?i)reach me|contact me|call me|my (?:phone|number|mobile)|me joindre|mon numéro|"
    r"erreichen (?:sie )?mich|erreichbar|meine (?:telefon|handy)nummer|how to reach me"
)
_SALUTATION = re.compile(r"(?i)^(?:dear\b|to whom it may concern|madame|monsieur|sehr geehrte|liebe[rs]?\b|hello\b)")
_CLOSING = re.compile(
    r"(?i)^(?:yours (?:faithfully|sincerely|truly)|sincerely|kind regards|best regards|regards|"
    r"cordialement|.*salutations distinguées\.?|mit freundlichen grüßen|hochachtungsvoll|"
    r"freundliche grüße)[,.]?$"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_TEXT = re.compile(r"\+?\(?\d[\d\s()./-]{6,}\d")


def narrative_pairs(
    text: str, *, signed: str | None = None, page: int = 1, method: str = "text_layer"
) -> Iterator[Pair]:
    """What the sentences of a letter or statement tell, each with the party its sentence is about.

    `text` is the running text (blank lines break sentences); `signed` the whole text, where the
    signature under a closing formula is looked for (default: `text`).
    """
    body = re.sub(r"(?<=\w-)\n(?=\w)", "", "\n".join(line.strip() for line in text.splitlines()))
    paragraphs = [paragraph.replace("\n", " ") for paragraph in re.split(r"\n\s*\n", body)]
    sentences = [sentence for paragraph in paragraphs for sentence in _SENTENCE_END.split(paragraph)]
    lines = [line.strip() for line in (signed if signed is not None else text).splitlines()]
    for sentence in sentences:
        yield from (
            Pair(kind, party, raw, page, None, "narrative", 1.0, method, "sentence")
            for kind, party, raw in _told(sentence)
        )
    yield from (
        Pair(kind, "claimant", raw, page, None, "narrative", 1.0, method, "signature")
        for kind, raw in [*_signed(lines), *_reach_block(lines)]
    )


def is_letter(text: str) -> bool:
    """A letter or an e-mail: a salutation or a closing formula on a line of its own."""
    return any(_SALUTATION.match(line.strip()) or _CLOSING.match(line.strip()) for line in text.splitlines())


def _reach_block(lines: list[str]) -> Iterator[tuple[str, str]]:
    """`How to reach me` over an address and a phone number: the writer's phone and e-mail."""
    for index, line in enumerate(lines):
        if len(line.split()) <= 5 and _REACH_ME.search(line):
            block = " ".join(lines[index + 1 : index + 5])
            yield from (("phone", phone) for phone in _PHONE_TEXT.findall(block)[:1])
            yield from (("email", email) for email in _EMAIL.findall(block)[:1])
            return


def _told(sentence: str) -> Iterator[tuple[str, str | None, str]]:
    party = "other_party" if _OTHER.search(sentence) and not _MINE.search(sentence) else "claimant"
    yield from _loss(sentence)
    for pattern, kind in ((_POLICY, "policy_number"), (_CLAIM, "claim_number"), (_PLATE, "vehicle_plate")):
        for match in pattern.finditer(sentence):
            yield kind, party, match.group(1)
    for match in _VIN.finditer(sentence):
        yield "vehicle_vin", party, match.group()
    mine = _MINE.search(sentence)
    if mine and make_in(sentence[mine.end() : mine.end() + 60]):  # `my car is a 2023 Ford F-150`
        yield "vehicle", "claimant", sentence[mine.end() : mine.end() + 60]
    for match in _OTHER_NAME.finditer(sentence):
        yield "name", "other_party", match.group(1)
    for match in _INSURER.finditer(sentence):
        yield "insurer", party, match.group(1)
    yield from _police(sentence)
    for match in _ESTIMATE.finditer(sentence):
        yield "estimate", None, match.group(1)
    if _REACH_ME.search(sentence):
        yield from (("phone", party, phone) for phone in _PHONE_TEXT.findall(sentence))
        yield from (("email", party, email) for email in _EMAIL.findall(sentence))
    if re.search(r"(?i)injur|hurt|bless|verletz", sentence):
        yield "injury_statement", None, sentence


def _loss(sentence: str) -> Iterator[tuple[str, str | None, str]]:
    """The date, time and place of a sentence that reports the loss."""
    date = next(
        (d for d in _DATE.finditer(sentence) if _LOSS.search(sentence[max(d.start() - LOSS_WINDOW, 0) : d.start()])),
        None,
    )  # not the letter's date
    if date is None:
        return
    yield "loss_date", None, date.group()
    after = sentence[date.end() :]
    time = _TIME.match(after.lstrip(" ,")) or _TIME.search(after[:40])
    if time:
        yield "loss_time", None, time.group(1)
        after = after[after.find(time.group(1)) + len(time.group(1)) :]
    place = _PLACE.search(after.rstrip("."))
    if place:
        yield "loss_place", None, place.group(1)


def _police(sentence: str) -> Iterator[tuple[str, str | None, str]]:
    authority = _POLICE.search(sentence)
    if authority and _AUTHORITY.search(authority.group(1)):  # `von der Dienststelle X`: the station is X
        yield (
            "police_authority",
            None,
            re.sub(r"^(?:Dienststelle|station|office of(?: the)?)\s+", "", authority.group(1)),
        )
    if authority or _AUTHORITY.search(sentence):
        for match in _REFERENCE.finditer(sentence):
            yield "police_report_number", None, match.group(1)


def _signed(lines: list[str]) -> Iterator[tuple[str, str]]:
    """The name signed under a letter's closing formula."""
    for index, line in enumerate(lines):
        if _CLOSING.match(line):
            name = next((candidate for candidate in lines[index + 1 : index + 4] if candidate), None)
            if name:
                yield "name", name
            return
