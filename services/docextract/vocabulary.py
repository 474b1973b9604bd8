"""What printed labels and section headings mean, in English, French and German, matched fuzzily.

A label names a *kind* of value (a phone, a policy number) and sometimes whose it is ("Other
Party Phone"); a heading names the party its section is about ("Third Party", "Vehicle 2",
"Repair Shop"). Wording varies from form to form and OCR misreads letters, so a label is
matched exactly first, then with rapidfuzz against every wording we know. Known labels that
hold nothing we extract ("Return Policy", "Claim Type") are in the table too: they must
win over a near miss such as "Policy".
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

Meaning = tuple[str | None, str | None]  # (party or None for "the section's", kind or None for "holds nothing")
FUZZY_CUTOFF = 88.0  # a label this similar to a known wording (0-100) reads as it
MIN_FUZZY_LENGTH = 6  # shorter keys differ by a letter from other words: exact only
MAX_FUZZY_LENGTH = 40
_FIELD_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[a-z]?[.)]|\([a-z]\)|[A-Z][.)](?=\s))\s*")
PART_SCORE = 0.95  # `Owner / Occupant` read by one of its wordings

# The wording tables stay packed, one line per meaning rather than per wording: they are read as tables.
# fmt: off
_KINDS: dict[str, tuple[str, ...]] = {
    "policy_number": ("Policy Number", "Policy No", "Policy #", "Policy", "Insurance Policy Number", "Policy ID",
                      "Policy Ref", "Policy Reference", "Insurance Policy", "Policy_PolicyNumber", "Numéro de police",
                      "N° de police", "No de police", "Numéro de contrat", "N° de contrat", "Contrat",
                      "Versicherungsnummer", "Policennummer", "Police Nr", "Versicherungsschein-Nr",
                      "Versicherungsscheinnummer", "Vertragsnummer", "Polizzennummer"),
    "claim_number": ("Claim Number", "Claim No", "Claim #", "Claim ID", "Claim Reference", "Claim Ref",
                     "Your Reference", "Your Ref", "Votre référence", "Vos références", "Ihr Zeichen",
                     "Ihr Aktenzeichen",
                     "Claim_ClaimNumber", "Numéro de sinistre", "N° de sinistre", "Référence sinistre",
                     "Réf. sinistre", "Référence du sinistre", "Sinistre n°", "N° de dossier", "Numéro de dossier",
                     "Schadennummer", "Schaden-Nr", "Schadennr"),
    "loss_date": ("Date of Loss", "Loss Date", "Date of Incident", "Incident Date", "Date of Accident",
                  "Accident Date", "Date of Occurrence", "Date of Damage", "Crash Date", "Date of Crash",
                  "Date of Collision", "Loss_IncidentDate", "Date du sinistre", "Date de l'accident",
                  "Date de survenance", "Schadendatum", "Datum des Schadens", "Unfalldatum", "Schadentag",
                  "Datum des Unfalls"),
    "loss_time": ("Time of Loss", "Loss Time", "Approx. Time", "Approximate Time", "Time of Incident",
                  "Incident Time", "Time of Accident",
                  "Accident Time", "Time of Crash", "Crash Time", "Loss_IncidentTime", "Heure du sinistre",
                  "Heure de l'accident", "Uhrzeit", "Unfallzeit", "Schadenzeit", "Uhrzeit des Unfalls"),
    "loss_datetime": ("Date of Loss and Time", "Date and Time of Loss", "Date/Time of Loss", "Date & Time of Loss",
                      "Date and Time of Accident", "Date/Time of Accident", "Date and Time of Incident",
                      "Incident Date/Time", "Incident Date & Time", "Date/Time", "Date et heure du sinistre",
                      "Datum und Uhrzeit", "Datum/Uhrzeit"),
    "loss_place": ("Location of Loss", "Loss Location", "Place of Accident", "Place of Incident",
                   "Scene of Accident", "Where did it happen?", "Where did it happen", "Place",
                   "Where", "Location", "Place of Loss", "Incident Location",
                   "Accident Location", "Crash Location", "Location of Accident", "Location of Incident",
                   "Property Address", "Property Location", "Risk Address", "Loss Address", "Address of Loss",
                   "Insured Location", "Property", "Loss_LocationAddress", "Lieu du sinistre", "Lieu de l'accident",
                   "Lieu", "Adresse du sinistre", "Schadenort", "Unfallort", "Ort des Schadens", "Ort",
                   "Schadenanschrift"),
    "description": ("Description of Loss", "Loss Description", "Description of Accident", "Incident Description",
                    "Accident Description", "Description of Incident", "Narrative", "What happened",
                    "Circumstances", "Details of Loss", "Loss Details", "Loss_Description", "Description du sinistre",
                    "Circonstances", "Schadenhergang", "Hergang", "Schadenbeschreibung", "Unfallhergang"),
    "name": ("Name", "Full Name", "Driver", "Driver Name", "Driver's Name", "Nom",
             "Nom et prénom", "Name, Vorname", "Fahrer", "Fahrzeugführer", "Halter", "Conducteur",
             "Operator", "Operator Name", "Vehicle Operator"),
    "phone": ("Rufnummer", "Phone", "Telephone", "Tel", "Phone Number", "Telephone Number", "Mobile",
              "Mobile Number", "Cell",
              "Cell Phone", "Contact Number", "Contact Phone", "Primary Phone", "Home Phone", "Work Phone",
              "Téléphone", "Tél", "Portable", "Tél. portable", "Téléphone portable", "Telefon", "Telefonnummer",
              "Handy", "Mobil", "Mobiltelefon"),
    "email": ("E-mail", "Email", "Email Address", "E-mail Address", "Mail", "Courriel", "Adresse e-mail",
              "E-Mail-Adresse"),
    "address": ("Address", "Correspondence Address", "Postal Address", "Mailing Address", "Street Address",
                "Home Address", "Adresse", "Adresse postale", "Anschrift", "Domicile", "Adresse du domicile",
                "Wohnanschrift"),
    "contact": ("Contact Details", "Contact Information", "Contact Info", "Contact", "Coordonnées", "Kontakt",
                "Kontaktdaten"),
    "vehicle": ("Vehicle", "Vehicle Description", "Year/Make/Model", "Year Make Model", "Véhicule", "Fahrzeug"),
    "asset": ("Asset ID", "Asset", "Vehicle ID", "Vehicle Identifier"),
    "vehicle_year": ("Modelljahr", "Baujahr / Modelljahr", "Année modèle", "Année du modèle", "Year", "Yr", "Yr.",
                     "Vehicle Year", "Model Year", "Vehicle_ModelYear", "Année", "Baujahr"),
    "vehicle_make": ("Make", "Vehicle Make", "Manufacturer", "Vehicle_Manufacturer", "Marque", "Hersteller",
                     "Fabrikat", "Marke", "Constructeur"),
    "vehicle_model": ("Model", "Model / Variant", "Model/Variant", "Variant", "Vehicle Model", "Vehicle_Model",
                      "Modèle", "Modell", "Typ"),
    "vehicle_vin": ("Vehicle Identification No", "VIN", "V.I.N.", "Vehicle Identification Number", "VIN Number",
                    "Chassis Number", "Chassis No",
                    "VIN/Chassis", "Vehicle_VIN", "FIN", "Fahrgestellnummer", "Fahrzeug-Identnummer",
                    "Numéro de série", "Numéro VIN", "N° d'identification", "Numéro d'identification"),
    "vehicle_plate": ("Kfz-Kennzeichen", "Plaque", "Plaque d'immatriculation", "Plate", "Plate Number", "Plate No",
                      "License Plate", "Licence Plate", "License Plate Number",
                      "License No", "Registration", "Registration Number", "Registration No", "Reg No", "Reg. No.",
                      "Vehicle Registration", "Tag Number", "Vehicle Plate", "Vehicle_PlateNumber", "Immatriculation",
                      "N° d'immatriculation", "Immat.", "Kennzeichen", "Amtliches Kennzeichen"),
    "insurer": ("Insurer", "Insurance Company", "Insurance Carrier", "Carrier", "Insured With", "Assureur",
                "Compagnie d'assurance", "Versicherer", "Versicherung", "Versicherungsgesellschaft"),
    "police_authority": ("Police Department", "Police or Fire Department Contacted", "Police Authority",
                         "Reporting Agency", "Investigating Agency", "Law Enforcement Agency", "Police Station",
                         "Agency Name", "Police_Authority", "Commissariat", "Polizeidienststelle", "Polizei"),
    "police_report_number": ("Crime / Incident Ref", "Incident Ref", "Crime / Incident Reference",
                             "Police Report Number", "Police Report No", "Police Report #", "Police Report",
                             "FIR No", "FIR Number", "FIR / DD No", "FIR/DD No", "Crime Reference", "Crime Ref",
                             "Crime Reference Number", "Police Reference", "Police Ref",
                             "Crash Report Number", "Accident Report Number", "Police_ReportIdentifier",
                             "Numéro de procès-verbal", "N° de procès-verbal", "Aktenzeichen der Polizei",
                             "Polizeiliches Aktenzeichen", "Aktenzeichen Polizei", "Tagebuchnummer"),
    "report_number": ("Report Number", "Report No", "Report #", "Case Number", "Case No", "Local Report Number"),
    "injuries": ("Injuries", "Injuries Reported", "Injured", "Injury", "Bodily Injury", "Anyone Injured",
                 "Anyone Hurt", "Any Injuries",
                 "Injuries (Y/N)", "Injury_Description",
                 "Injured: Name, Severity, Description", "Blessés", "Blessures", "Verletzte", "Verletzungen",
                 "Personenschaden"),
    "total": ("Total", "Grand Total", "Total Amount", "Total Due", "Amount Due", "Balance Due", "Invoice Total",
              "Total Estimate", "Estimate Total", "Total Estimate Amount", "Total Cost", "Total Price",
              "Total (incl. VAT)", "Total incl. VAT", "Total TTC", "Montant total", "Total à payer", "Montant TTC",
              "Net à payer", "Gesamtbetrag", "Gesamtsumme", "Summe", "Endbetrag", "Rechnungsbetrag", "Gesamt",
              "Bruttobetrag", "Total Repair Cost", "Total Repair Estimate", "Replacement Cost Value", "Total RCV",
              "RCV", "Total inc VAT", "Total incl VAT", "Total including VAT", "Gross Total", "Total Gross",
              "Balance", "Total Payable", "Amount Payable", "Total Charges", "Total Billed", "Total Invoice"),
    "estimate": ("Estimated Amount of Loss", "Voraussichtliche Reparaturkosten", "Voraussichtliche Kosten",
                 "Coût estimé des réparations", "Montant estimé des dommages", "Estimated Loss Amount",
                 "Estimated Damage", "Estimate Amount",
                 "Estimated Amount", "Damage Estimate", "Estimated Cost",
                 "Estimated Repair Cost", "Approx. repair cost", "Approximate Repair Cost", "Estimated Loss",
                 "Initial Estimate", "Repair Estimate", "Estimate", "Estimated Damages", "Montant estimé",
                 "Estimation des dégâts", "Coût estimé", "Geschätzter Schaden", "Schadenhöhe", "Geschätzte Kosten",
                 "Geschätzte Schadenhöhe"),
    "time": ("Time", "Heure", "Zeit"),
    "currency": ("Currency", "Devise", "Monnaie", "Währung"),
}
# Labels that say whose value it is, whatever section they are printed in.
_PARTY_LABELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("claimant", "name"): ("VN", "Auftraggeber", "Donneur d'ordre", "Client", "Kundenname", "Nom du client",
     "Name des Versicherten", "Name des Versicherungsnehmers", "Versicherte Person",
     "Name of Insured", "Insured Name", "Insured", "Claimant", "Claimant Name", "Policyholder",
                           "Policyholder Name", "Policy Holder", "Policy Holder Name", "Insured / Policyholder",
                           "Customer", "Customer Name", "Patient", "Patient Name", "Bill To", "Sold To",
                           "Reporting Party", "Owner", "Owner Name", "Vehicle Owner", "Property Owner",
                           "Registered Owner", "Insured_FullName", "Nom de l'assuré", "Assuré", "Souscripteur",
                           "Versicherungsnehmer", "Name des Versicherungsnehmers", "Anspruchsteller", "Kunde",
                           "Billed To", "Invoice To", "Facturé à", "Facturer à", "Rechnung an", "Propriétaire"),
    ("claimant", "contact"): ("From", "De", "Von", "Sender", "Expéditeur", "Absender"),
    ("claimant", "phone"): ("Insured's Phone", "Insured Phone", "Claimant Phone", "Policyholder Phone",
                            "Insured_PrimaryPhone", "Customer Phone"),
    ("claimant", "email"): ("Insured's E-mail", "Insured Email", "Claimant Email", "Policyholder Email",
                            "Insured_EmailAddress", "Customer Email"),
    ("claimant", "address"): ("Insured Address", "Insured's Address", "Claimant Address", "Policyholder Address",
                              "Customer Address"),
    ("other_party", "name"): ("Name of Other Party", "Name of Third Party", "Other Party's Name", "TP Name",
     "Other Party", "Other Party Name", "Third Party", "Third Parties", "Third Party Name",
                              "Other Driver", "Other Driver Name", "Other Driver's Name", "OtherParty_FullName",
                              "Tiers", "Partie adverse", "Unfallgegner", "Gegner"),
    ("other_party", "phone"): ("Other Party Phone", "Third Party Phone", "Other Driver Phone"),
    ("other_party", "insurer"): ("Other Party Insurer", "Third Party Insurer", "Other Driver's Insurer",
                                 "OtherParty_Insurer", "Other Insurance Company", "Assureur adverse",
                                 "Versicherung des Gegners"),
    ("other_party", "policy_number"): ("TP Policy No", "TP Policy Number", "Third Party Policy", "Other Party's Policy",
                                       "Other Party Policy Number", "Third Party Policy Number", "Their Policy #",
                                       "Their Policy Number", "Their Policy No",
                                       "Other Party Policy", "Third Party Policy No"),
    ("other_party", "vehicle_plate"): ("Other Party Plate", "Other Vehicle Plate", "Third Party Vehicle",
                                       "OtherParty_PlateNumber"),
    ("witness", "name"): ("Witness", "Witness Name", "Witnesses", "Témoin", "Zeuge"),
    ("agency", "name"): ("Betreuer", "Vermittler", "Intermédiaire", "Agency", "Agent", "Agent Name", "Producer",
     "Broker", "Agency Name/Address"),
    ("agency", "phone"): ("Agent Phone", "Agency Phone", "Producer Phone", "Broker Phone"),
    ("agency", "email"): ("Agent Email", "Agency Email", "Producer Email"),
    ("shop", "name"): ("Repair Shop", "Body Shop", "Repair Facility", "Garage", "Contractor", "Prepared by",
                       "Estimator", "Werkstatt"),
    ("shop", "phone"): ("Shop Phone", "Garage Phone", "Contractor Phone"),
}
# Labels we know and skip: they end the value before them, but hold nothing we extract.
_NOTHING = ("Date Reported", "Report Date", "Reported Date", "Date", "Time Reported", "Time Arrived",
            "Estimate Number", "Estimate No", "Estimate Date", "Quote Number", "Quote Date", "Invoice Number",
            "Invoice No", "Invoice Date", "Due Date", "Statement Number", "Subtotal", "Sub-total", "Sub Total", "Tax",
            "Sales Tax", "VAT", "GST", "Tax Rate", "Total HT", "Montant HT", "Zwischensumme", "Nettobetrag", "MwSt",
            "TVA", "Reference No", "Reference", "Effective Dates", "Policy Effective Dates", "Policy Effective",
            "Policy Period", "Policy Type", "Policy Limit", "Policy Status", "Return Policy", "Privacy Policy",
            "Claim Type", "Claim Filed", "Claim Status", "Claim Summary", "Attachments", "Asset Type", "Signature",
            "Statement", "Cashier", "Transaction #", "Transaction", "Store", "SKU", "Role", "Reporting Officer",
            "Officer", "Badge", "Incident Number", "Incident Type", "Provider", "Kind of Property", "Year Built",
            "Inspection Date", "Project Manager", "License", "License #", "Licence", "Page", "Deductible",
            "Sum Insured", "Coverage", "Premium", "Labor", "Labour", "Parts", "Materials", "Paint", "Permits",
            "Timeline", "Valid Until", "Date of Birth", "DOB", "Age", "Sex", "Gender", "Occupation", "Fax",
            "Website", "Web", "Account", "IBAN", "Payment", "Payment Terms", "Terms", "Notes", "Note", "Remarks",
            "Responding Units", "Personnel", "Cause", "Origin", "District", "Nearest Intersection", "Units",
            "Amount Claimed", "Claimed Amount", "Property Type", "Occupancy", "Construction", "Datum", "Date de",
            "Zahlungsziel", "Rechnungsnummer", "Rechnungsdatum", "Numéro de facture", "Date de facture",
            "Total Labor", "Total Labour", "Labor Total", "Labour Total", "Total Parts", "Parts Total", "Total Paint",
            "Total Tax", "Tax Total", "Net Total", "Total ex VAT", "Total excl VAT", "Net Claim", "Actual Cash Value",
            "ACV", "Less Deductible", "Less Depreciation", "Depreciation", "Line Item Total", "Mileage", "Odometer",
            "Estimate #", "Estimate No", "Quote #", "Quote No", "Quotation No", "Quotation Number", "Ref", "Ref.",
            "KVA-Nr", "KVA-Nummer", "Gültig bis", "Valable jusqu'au", "Kilométrage", "Kilometerstand",
            "Erstzulassung", "Première mise en circulation", "First Registered", "Amount Paid", "Paid", "Payments",
            "Change", "Tendered", "Total Savings", "Discount", "Total Duration",
            "Date of Birth", "Date Inspected", "Date Received", "Date Entered", "Type of Loss", "Cause of Loss",
            "Alarm Date", "Alarm Time", "Arrival Time", "Dispatch Time", "Incident Number", "Report Time")

# Section headings and the party a section is about (None: a section about the claim itself).
_HEADINGS: dict[str | None, tuple[str, ...]] = {
    "claimant": ("Insured", "Insured Information", "Insured Details", "Policyholder", "Policyholder Details",
                 "Policyholder Information", "Claimant", "Claimant Information", "Claimant Details", "Customer",
                 "Customer Information", "Customer Details", "Bill To", "Sold To", "Insured Vehicle", "Your Vehicle",
                 "Vehicle 1", "Unit 1", "Party 1", "Driver 1", "Patient", "Patient Information", "Owner Information",
                 "Assuré", "Véhicule A", "Versicherungsnehmer", "Fahrzeug A", "Kunde", "Rechnungsempfänger",
                 "Client", "Client Information", "Client Details", "Kundendaten"),
    "loss_site": ("Property", "Property Information", "Property Details", "Insured Property", "Location",
                  "Loss Location", "Incident Location", "Risk Location"),
    "other_party": ("Other Party", "Other Party Information", "Other Party Details", "Third Party",
                    "Other Vehicle / Property Damaged", "Other Vehicle/Property Damaged", "Other Vehicle Information",
                    "Third Party Details", "Third Party Information", "Other Vehicle", "Other Driver", "Vehicle 2",
                    "Unit 2", "Party 2", "Party 3", "Party 4", "Driver 2", "Vehicle 3", "Tiers", "Partie adverse",
                    "Véhicule B", "Unfallgegner", "Fahrzeug B", "Gegner"),
    "witness": ("Witness", "Witnesses", "Witness Information", "Witnesses or Passengers", "Passengers", "Témoins",
                "Témoin", "Zeugen", "Zeuge"),
    "agency": ("Agency", "Agent", "Agent Information", "Producer", "Broker", "Agency Information", "Courtier",
               "Makler", "Vermittler"),
    "shop": ("Repair Shop", "Repair Facility", "Body Shop", "Garage", "Contractor", "Contractor Information",
             "Vendor", "Werkstatt"),
    "injured": ("Injured", "Injured Person", "Injured Persons", "Injured Parties", "Injury Information"),
    "police": ("Police", "Police Information", "Police Report", "Police Details", "Law Enforcement",
               "Police Report Information", "Police / Authorities", "Authorities", "Police et secours", "Polizei"),
    "fire": ("Fire Department", "Fire Department Incident Report", "Fire Department Report"),
    None: ("Contrat", "Contract", "Policy", "Vertrag", "Circonstances du sinistre", "Estimation des dommages",
           "Angaben zum Schaden", "Schadenhergang", "Schadenhöhe", "Incident Information", "Loss Information",
           "Policy Information", "Claim Information", "Accident Details",
           "Incident Details", "Loss Details", "Asset Information", "Asset Details", "Vehicle Information",
           "Vehicle Details", "Involved Parties", "Parties Involved", "Declaration", "Incident", "Accident",
           "Description", "Narrative", "Injuries", "Summary", "Claim Details"),
}
# fmt: on


def label_key(label: str) -> str:
    """`INSURED'S E-MAIL:` and `Insured's e-mail` are the same label; a printed `(MM/DD/YYYY)` is no part of it."""
    label = re.sub(r"\([^)]*\)\s*$", "", label)
    return re.sub(r"[^a-z0-9#äöüéèàçß]", "", label.casefold())


def _table() -> dict[str, Meaning]:
    table: dict[str, Meaning] = {label_key(label): (None, None) for label in _NOTHING}
    table.update({label_key(label): (None, kind) for kind, labels in _KINDS.items() for label in labels})
    table.update({label_key(label): meaning for meaning, labels in _PARTY_LABELS.items() for label in labels})
    return table


LABELS: dict[str, Meaning] = _table()
HEADINGS: dict[str, str | None] = {label_key(h): party for party, headings in _HEADINGS.items() for h in headings}
_LABEL_KEYS = tuple(LABELS)
_HEADING_KEYS = tuple(HEADINGS)


@lru_cache(maxsize=65536)
def meaning_of(label: str) -> tuple[Meaning, float] | None:
    """What a printed label holds and how sure the match is (1.0 exact), or None for no label we know.

    A form's field number before its label (`11. FIR Number`, `(a) Name`) is no part of it.
    """
    label = _FIELD_NUMBER.sub("", label)
    key = label_key(label)
    if not key:
        return None
    if key in LABELS:
        return LABELS[key], 1.0
    if len(key) < MIN_FUZZY_LENGTH or len(key) > MAX_FUZZY_LENGTH or sum(c.isdigit() for c in key) > 1:
        return None  # too short to tell apart, too long to be a label, or a value with figures in it
    match = process.extractOne(key, _LABEL_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if match:
        return LABELS[match[0]], match[1] / 100
    parts = [part for part in re.split(r"\s*/\s*", label) if part.strip()]  # `Owner / Occupant`: either wording
    found = [LABELS[label_key(part)] for part in parts if label_key(part) in LABELS] if len(parts) > 1 else []
    return (found[0], PART_SCORE) if found else None


@lru_cache(maxsize=16384)
def heading_party(text: str) -> tuple[bool, str | None]:
    """(whether the text is a section heading we know, the party its section is about).

    `UNIT 2 — OTHER PARTY` and `INSURED / CLAIMANT` are known by their parts; the first part naming a party wins.
    """
    text = re.sub(r"^[\dIVX]+[.)]\s+", "", text.strip())
    found = _known_heading(text)
    if found is not None:
        return True, found[0]
    parts = [_known_heading(part) for part in re.split(r"\s[—–/|:-]\s|\s*/\s*", text) if part.strip()]
    known = [part for part in parts if part is not None]
    if len(parts) > 1 and known:
        return True, next((party for (party,) in known if party), None)
    return False, None


def _known_heading(text: str) -> tuple[str | None] | None:
    key = label_key(text)
    if key in HEADINGS:
        return (HEADINGS[key],)
    if len(key) >= MIN_FUZZY_LENGTH:
        match = process.extractOne(key, _HEADING_KEYS, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if match:
            return (HEADINGS[match[0]],)
    return None


def form_field_meaning(name: str) -> Meaning | None:
    """What a form field's name holds (`form1.PolicyNumber[0]` works too); None for generic names (`Text7`)."""
    for candidate in (name, re.sub(r"\[\d+\]$", "", name.rsplit(".", 1)[-1])):
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", candidate)
        for text in (candidate, spaced):
            found = LABELS.get(label_key(text))
            if found and found[1]:
                return found
    return None
