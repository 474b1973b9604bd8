"""Printed labels and form-field names, and the extracted field each one holds.

Paper forms, police reports and estimates all print `Label: value` or a labelled box; what
varies is the wording. One table maps every wording we know to a field name, so a new
form is one more line here, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "policy_number": ("Policy Number", "Policy No", "Policy #", "Insurance Policy Number", "Policy_PolicyNumber"),
    "claim_number": ("Claim Number", "Claim No", "Claim #", "Claim_ClaimNumber"),
    "loss_date": ("Date of Loss", "Date of Loss (MM/DD/YYYY)", "Loss Date", "Date of Incident", "Incident Date",
                  "Date of Accident", "Loss_IncidentDate"),
    "loss_time": ("Time of Loss", "Loss Time", "Time of Incident", "Time of Accident", "Loss_IncidentTime"),
    "loss_place": ("Location of Loss", "Loss Location", "Location", "Place of Loss", "Incident Location",
                   "Loss_LocationAddress"),
    "description": ("Description of Loss", "Loss Description", "Description of Accident", "Narrative",
                    "Loss_Description"),
    "claimant_name": ("Name of Insured", "Insured Name", "Insured", "Claimant", "Claimant Name", "Owner", "Driver",
                      "Reporting Party", "Policyholder", "Customer", "Patient", "Patient Name", "Bill To",
                      "Insured_FullName"),
    "claimant_phone": ("Insured's Phone", "Phone", "Telephone", "Claimant Phone", "Insured_PrimaryPhone"),
    "claimant_email": ("Insured's E-mail", "E-mail", "Email", "Email Address", "Insured_EmailAddress"),
    "vehicle_year": ("Year", "Vehicle Year", "Model Year", "Vehicle_ModelYear"),
    "vehicle_make": ("Make", "Vehicle Make", "Vehicle_Manufacturer"),
    "vehicle_model": ("Model", "Vehicle Model", "Vehicle_Model"),
    "vehicle_vin": ("VIN", "V.I.N.", "Vehicle Identification Number", "Vehicle_VIN"),
    "vehicle_plate": ("Plate", "Plate Number", "License Plate", "Registration", "Vehicle_PlateNumber"),
    "police_authority": ("Police or Fire Department Contacted", "Police Department", "Police_Authority"),
    "police_report_number": ("Report Number", "Report No", "Police Report Number", "Police_ReportIdentifier"),
    "injuries": ("Injuries", "Injured: Name, Severity, Description", "Injured", "Injury_Description"),
    "other_party_name": ("Other Party Name", "Other Party", "OtherParty_FullName"),
    "other_party_insurer": ("Other Party Insurer", "OtherParty_Insurer"),
    "other_party_plate": ("Other Party Plate", "OtherParty_PlateNumber"),
    "estimate_total": ("Estimate Total", "Total", "Grand Total", "Total Amount", "Total Estimate", "Amount Due"),
}
# Labels we know and skip: they end the value before them, but hold nothing we extract.
IGNORED_LABELS = ("Date Reported", "Claim_ReportedDate", "Estimate Number", "Estimate Date", "Reporting Officer",
                  "Name", "Role", "Insurer", "Vehicle Plate", "Property", "Location of Property", "Kind of Property",
                  "Year Built", "Subtotal", "Tax", "Invoice Number", "Invoice Date", "Due Date", "Statement Number",
                  "Provider")
MULTILINE_FIELDS = frozenset({"description", "injuries"})
MAX_LABEL_WORDS = 6


def label_key(label: str) -> str:
    """`INSURED'S E-MAIL` and `Insured's e-mail` are the same label."""
    return re.sub(r"[^a-z0-9]", "", label.lower())


LABELS: dict[str, str | None] = {
    **{label_key(label): None for label in IGNORED_LABELS},
    **{label_key(label): name for name, labels in FIELD_LABELS.items() for label in labels},
}


def field_for(label: str) -> str | None:
    """The field a box label or form-field name holds (`form1.PolicyNumber[0]` works too), or None."""
    for candidate in (label, re.sub(r"\[\d+\]$", "", label.rsplit(".", 1)[-1])):
        name = LABELS.get(label_key(candidate))
        if name:
            return name
    return None


def labelled_values(text: str) -> Iterator[tuple[str, str]]:
    """(field, raw value) for every known `Label: value` in the text, in reading order.

    A line may hold several pairs; a description or an empty value continues on the lines that
    follow until the next label or heading.
    """
    open_name: str | None = None  # a field still taking continuation lines
    open_value = ""
    for line in text.splitlines():
        lead, pairs = _split_line(line)
        heading = not pairs and _is_heading(lead) and bool(open_value)  # an empty value takes any next line
        if open_name is not None and lead and not heading:
            open_value = f"{open_value} {lead}".strip()
        if open_name is not None and (pairs or heading or (open_name not in MULTILINE_FIELDS and open_value)):
            yield open_name, open_value
            open_name = None
        yield from pairs[:-1]
        if pairs:
            name, value = pairs[-1]
            if name in MULTILINE_FIELDS or not value:
                open_name, open_value = name, value
            else:
                yield name, value
    if open_name is not None:
        yield open_name, open_value


def _split_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Text before the first known label, then each known label's field and the text up to the next label."""
    tokens = line.split()
    starts: list[tuple[int, int, str | None]] = []  # (first label token, first value token, field)
    for index, token in enumerate(tokens):
        if not token.endswith(":") or len(token) == 1:
            continue
        earliest = starts[-1][1] if starts else 0
        for words in range(min(MAX_LABEL_WORDS, index + 1 - earliest), 0, -1):  # the longest label wins
            label = " ".join(tokens[index - words + 1:index + 1])[:-1]
            if label[:1].isupper() and label_key(label) in LABELS:
                starts.append((index - words + 1, index + 1, LABELS[label_key(label)]))
                break
    if not starts:
        return " ".join(tokens), []
    lead = " ".join(tokens[:starts[0][0]])
    ends = [start for start, _, _ in starts[1:]] + [len(tokens)]
    pairs = [(name, " ".join(tokens[value_start:end]))
             for (_, value_start, name), end in zip(starts, ends, strict=True) if name]
    return lead, pairs


def _is_heading(line: str) -> bool:
    return bool(line) and line.isupper() and ":" not in line
