"""A fax cover sheet sent ahead of a scanned document. It repeats only what the scanned document
itself states (its claim number, its claimant), so the pair's truth is the document's."""

from __future__ import annotations

import random

from claimgen.corpus_routes.sheet import Document, Entry, Prose, Section

_WORDS = {
    "en": (
        "Fax Transmission",
        "To",
        "Claims Department",
        "From",
        "Re",
        "Pages (incl. cover)",
        "Please find attached the {title} for the above claim. Original to follow by post.",
    ),
    "fr": (
        "Télécopie",
        "À",
        "Service sinistres",
        "De",
        "Objet",
        "Nombre de pages",
        "Veuillez trouver ci-joint le document « {title} » relatif au dossier ci-dessus.",
    ),
    "de": (
        "Telefax",
        "An",
        "Schadenabteilung",
        "Von",
        "Betreff",
        "Seitenzahl",
        "Anbei erhalten Sie das Dokument „{title}“ zum oben genannten Schaden.",
    ),
}


def cover_sheet(rng: random.Random, scanned: Document, pages: int) -> Document:
    """The cover for `scanned`, written in its language, repeating its own stated claim and claimant."""
    title, to_label, department, from_label, re_label, pages_label, message = _WORDS[scanned.lang]
    stated = scanned.truth_fields()
    sender = scanned.issuer[0] if scanned.issuer else str(stated.get("claimant_name", ""))
    entries = [Entry(to_label, department), Entry(from_label, sender)]
    regarding = " / ".join(str(stated[name]) for name in ("claim_number", "claimant_name") if name in stated)
    if regarding:
        truth = tuple((name, stated[name]) for name in ("claim_number", "claimant_name") if name in stated)
        entries.append(Entry(re_label, regarding, truth))
    entries.append(Entry(pages_label, str(pages + 1)))
    note = Prose(
        "",
        (
            message.format(title=scanned.title or scanned.fine_type),
            f"Fax {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
        ),
    )
    return Document(scanned.fine_type, scanned.lang, title, (), (Section("", tuple(entries)), note))
