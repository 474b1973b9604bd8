"""Labels paired with values by where they are printed, on lines built from placed words."""

from services.docextract.content import PageText, PlacedWord
from services.docextract.layout import document_lines, running_lines
from services.docextract.pairing import read_pairs

CHAR, LINE = 6.0, 14.0  # a character's width and a line's pitch, in pt


def page(rows: list[list[tuple[float, str]]], number: int = 1) -> PageText:
    """A page from rows of (x, text) runs: each run's words placed side by side from x, rows 14 pt apart."""
    words, lines = [], []
    for row, runs in enumerate(rows):
        top = 72 + row * LINE
        for x, text in runs:
            for word in text.split():
                words.append(PlacedWord(word, (x, top, x + CHAR * len(word), top + 10)))
                x += CHAR * (len(word) + 1)
        lines.append("  ".join(text for _, text in runs))
    return PageText(number=number, text="\n".join(lines), words=tuple(words))


def pairs(*pages: PageText, default: str | None = "claimant") -> list[tuple[str, str | None, str, str]]:
    lines = running_lines(document_lines(pages))
    return [(p.kind, p.party, p.raw, p.how) for p in read_pairs(lines, default_party=default)]


def test_several_labels_on_a_line_each_take_the_words_up_to_the_next():
    found = pairs(page([[(72, "Report Number: SPD-1 Reporting Officer: Badge 7 Date of Incident: March 14, 2024")]]))
    assert found == [
        ("report_number", "claimant", "SPD-1", "inline"),
        ("loss_date", "claimant", "March 14, 2024", "inline"),
    ]


def test_a_header_row_whose_unknown_label_wrapped_into_the_values_row_keeps_its_values_below():
    rows = [
        [(72, "DRIVER"), (180, "CORRESPONDENCE"), (300, "TEL."), (400, "YR.")],  # `ADDRESS` went to the next row
        [(72, "Connor Tremblay"), (180, "ADDRESS"), (300, "(403) 555-0111"), (400, "2022")],
    ]
    found = [(kind, raw) for kind, _, raw, _ in pairs(page(rows))]
    assert ("name", "Connor Tremblay") in found and ("phone", "(403) 555-0111") in found
    assert all(raw != "CORRESPONDENCE" for _, raw in found)


def test_a_row_of_capitals_over_values_in_lower_case_is_a_header_row_though_few_labels_are_known():
    rows = [
        [(72, "WHERE DID IT HAPPEN?"), (320, "WEATHER"), (420, "ROAD SURFACE")],
        [(72, "Elbow Drive at Portage Avenue, Ottawa"), (320, "Clear"), (420, "Dry")],
    ]
    found = [(kind, raw, how) for kind, _, raw, how in pairs(page(rows))]
    assert found == [("loss_place", "Elbow Drive at Portage Avenue, Ottawa", "below")]


def test_rows_of_capitals_alternating_label_and_value_keep_their_values_beside():
    rows = [[(72, "NAME"), (250, "JOHN SMITH")], [(72, "POLICY NUMBER"), (250, "PA-7781")]]
    found = [(kind, raw, how) for kind, _, raw, how in pairs(page(rows))]
    assert found == [("name", "JOHN SMITH", "right"), ("policy_number", "PA-7781", "right")]


def test_a_label_with_its_colon_takes_the_cell_beside_it_in_a_row_of_labels():
    found = pairs(
        page([[(72, "Model"), (140, "Variant:"), (250, "Creta")], [(72, "VIN:"), (250, "MALWYHLL5JG708225")]])
    )
    assert ("vehicle_model", "claimant", "Creta", "right") in found


def test_a_value_in_the_cell_right_of_its_label():
    found = pairs(page([[(72, "Policy Number"), (250, "POL-1001")], [(72, "Mobile"), (250, "9876543210")]]))
    assert found == [("policy_number", "claimant", "POL-1001", "right"), ("phone", "claimant", "9876543210", "right")]


def test_a_row_of_labels_over_a_row_of_values():
    found = pairs(page([[(72, "POLICY NUMBER"), (250, "CLAIM NUMBER")], [(72, "PA-7781"), (250, "CLM-1")]]))
    assert found == [("policy_number", "claimant", "PA-7781", "below"), ("claim_number", "claimant", "CLM-1", "below")]


def test_a_label_at_the_foot_of_a_page_takes_the_first_line_of_the_next():
    first = page([[(72, "Some text of the form")], [(72, "Policy Number:")]])
    second = page([[(72, "POL-555-12")], [(72, "Thank you")]], number=2)
    assert pairs(first, second) == [("policy_number", "claimant", "POL-555-12", "below")]


def test_a_label_at_the_foot_of_a_page_skips_the_footer_and_the_next_pages_header():
    footer = "Form CL-4764 (rev. 08/2021) Page {}"
    first = page([[(72, "Pioneer Casualty")], [(72, "POLICE DEPARTMENT")], [(72, footer.format(1))]])
    second = page(
        [[(72, "First Notice of Loss (continued)")], [(72, "NC State Highway Patrol")], [(72, footer.format(2))]],
        number=2,
    )
    third = page([[(72, "First Notice of Loss (continued)")], [(72, "Thank you")], [(72, footer.format(3))]], number=3)
    assert pairs(first, second, third) == [("police_authority", "claimant", "NC State Highway Patrol", "below")]


def test_a_label_with_blank_space_under_it_takes_nothing_from_the_next_page():
    first = page([[(72, "Pioneer Casualty")], [(72, "POLICE DEPARTMENT")], [], [], [], [(72, "Page 1 of 2")]])
    second = page([[(72, "NC State Highway Patrol")], [(72, "Thank you")], [(72, "Page 2 of 2")]], number=2)
    assert pairs(first, second) == []


def test_only_lines_repeated_at_a_pages_edge_or_page_numbers_are_running():
    first = page([[(72, "Acme Garage")], [(72, "Policy Number:")], [(72, "Acme Garage")], [(72, "Page 1 of 2")]])
    second = page([[(72, "POL-555-12")], [(72, "Thank you")], [(72, "2 / 2")]], number=2)
    running = [line.text for line in running_lines(document_lines([first, second])) if line.running]
    # `Acme Garage` heads page 1 and is its second-last line, not the edge of another page
    assert running == ["Page 1 of 2", "2 / 2"]


def test_french_billing_labels_pair_with_the_cell_beside_them():
    rows = [
        [(72, "Réf. sinistre"), (270, "SIN-2472-99812")],
        [(72, "Facturé à"), (270, "Margaux Lefèvre")],
        [(72, "Domicile"), (270, "95 avenue Jean-Jaurès, 31000 Toulouse")],
    ]
    assert [(kind, raw) for kind, _, raw, _ in pairs(page(rows))] == [
        ("claim_number", "SIN-2472-99812"),
        ("name", "Margaux Lefèvre"),
        ("address", "95 avenue Jean-Jaurès, 31000 Toulouse"),
    ]


def test_drivers_and_police_references_as_german_and_us_crash_reports_label_them():
    rows = [
        [(72, "Aktenzeichen Polizei: 973569172")],
        [(72, "Fahrzeugführer: Sabine Brandt")],
        [(72, "UNIT 2 — OTHER PARTY")],
        [(72, "Operator: Callum Dunmore")],
    ]
    assert [(kind, party, raw) for kind, party, raw, _ in pairs(page(rows))] == [
        ("police_report_number", "claimant", "973569172"),
        ("name", "claimant", "Sabine Brandt"),
        ("name", "other_party", "Callum Dunmore"),
    ]


def test_a_card_heading_beside_a_label_with_its_colon_takes_nothing_and_the_client_card_is_the_claimants():
    rows = [
        [(72, "Patient"), (250, "Insurer:"), (330, "Great Lakes Mutual")],
        [(72, "Devis n°:"), (150, "Q-80550"), (250, "Client")],
        [(72, "Date:"), (150, "29/02/2024"), (250, "Téléphone:"), (330, "04 15 70 06 61")],
    ]
    found = [(kind, party, raw) for kind, party, raw, _ in pairs(page(rows), default="shop")]
    assert ("insurer", "shop", "Great Lakes Mutual") in found
    assert ("phone", "claimant", "04 15 70 06 61") in found
    assert not any(raw == "Insurer:" for _, _, raw in found)


def test_a_known_label_without_a_colon_and_a_glued_value():
    assert pairs(page([[(72, "Policy Number POL-1001")], [(72, "TOTAL ESTIMATE:$115,350")]])) == [
        ("policy_number", "claimant", "POL-1001", "prefix"),
        ("total", "claimant", "$115,350", "inline"),
    ]


def test_headings_set_whose_values_follow():
    found = pairs(
        page(
            [
                [(72, "Phone: 555 0100")],
                [(72, "THIRD PARTY")],
                [(72, "Name: Amit Verma")],
                [(72, "Phone: 555 0199")],
                [(72, "Repair Shop")],
                [(72, "Phone: 555 0142")],
            ]
        )
    )
    assert [(kind, party) for kind, party, _, _ in found] == [
        ("phone", "claimant"),
        ("name", "other_party"),
        ("phone", "other_party"),
        ("phone", "shop"),
    ]


def test_side_by_side_columns_each_have_their_party():
    found = pairs(
        page(
            [[(72, "VEHICLE 1"), (320, "VEHICLE 2")], [(72, "VIN: 1HGCM82633A004352"), (320, "VIN: 1M8GDM9AXKP042788")]]
        )
    )
    assert found == [
        ("vehicle_vin", "claimant", "1HGCM82633A004352", "inline"),
        ("vehicle_vin", "other_party", "1M8GDM9AXKP042788", "inline"),
    ]


def test_a_label_that_names_its_party_beats_the_section():
    found = pairs(page([[(72, "Other Party Name: Derek Holt")]]))
    assert found == [("name", "other_party", "Derek Holt", "inline")]


def test_a_contact_beside_a_named_person_is_that_persons():
    found = pairs(page([[(72, "Owner: Maria Gonzalez"), (300, "Phone: +1 217 555 0142")]]), default="shop")
    assert [(kind, party) for kind, party, _, _ in found] == [("name", "claimant"), ("phone", "claimant")]


def test_a_description_runs_on_until_a_label_or_heading():
    found = pairs(
        page(
            [
                [(72, "Narrative: The car hit")],
                [(72, "a pole: nobody was hurt.")],
                [(72, "PARTY 2")],
                [(72, "Plate: AB 12")],
            ]
        )
    )
    assert found == [
        ("description", "claimant", "The car hit a pole: nobody was hurt.", "inline"),
        ("vehicle_plate", "other_party", "AB 12", "inline"),
    ]


def test_a_value_in_a_cell_goes_on_only_in_its_column():
    rows = [
        [(72, "Witness"), (250, "Injuries")],
        [(72, "Elodie Girard"), (250, "Non")],
        [(72, "The vehicle B reversed out of a parking space.")],  # the next block, at the margin
    ]
    assert ("injuries", "claimant", "Non", "below") in pairs(page(rows))
    wrapped = [[(72, "Policy Number"), (250, "Narrative")], [(72, "POL-1"), (250, "Hit a pole")], [(250, "at night")]]
    assert ("description", "claimant", "Hit a pole at night", "below") in pairs(page(wrapped))


def test_a_table_header_row_pairs_nothing():
    found = pairs(
        page(
            [
                [(72, "QTY"), (150, "DESCRIPTION"), (400, "PRICE")],
                [(72, "1"), (150, "Washer installation kit"), (400, "$24.99")],
            ]
        )
    )
    assert found == []


def test_a_labels_value_that_we_do_not_read_is_not_taken_for_a_label():
    found = pairs(page([[(72, "Claim Type"), (250, "Vehicle")], [(72, "Attachments"), (250, "photos.pdf")]]))
    assert found == []


def test_a_heading_at_the_end_of_a_row_starts_its_columns_section():
    found = pairs(
        page(
            [
                [(72, "Quote No.: Q-1"), (320, "Customer")],
                [(72, "Date: 18/04/2024"), (320, "Bill To: Owen Tran")],
                [(72, "Valid until: 18/05/2024"), (320, "Mobile: (253) 555-0196")],
            ]
        ),
        default="shop",
    )
    assert [(kind, party) for kind, party, _, _ in found] == [("name", "claimant"), ("phone", "claimant")]


def test_an_e_mail_address_broken_at_a_dot_goes_on_under_itself():
    found = pairs(
        page(
            [
                [(72, "Claim Ref.: NG882835"), (320, "Email: oliver.pemberton@example.co")],
                [(72, "Date of Accident: 08/04/2024"), (362, ".uk")],
            ]
        )
    )
    assert ("email", "claimant", "oliver.pemberton@example.co.uk", "inline") in found


def test_a_phone_without_its_country_prefix_is_read_as_the_claims_country():
    from services.docextract.content import DocumentContent
    from services.docextract.fields import extract_fields

    document = DocumentContent(pages=(page([[(72, "Téléphone: 01 52 85 73 49")]]),))

    def phone(country: str) -> str:
        fields = extract_fields(document, "0" * 64, doc_type="loss_notice", day_first=True, country=country)
        return {f.name: f.value for f in fields}["claimant_phone"]

    assert phone("FR") == "+33152857349"
    assert phone("GB") != phone("FR")


def test_an_ocr_address_put_together_across_a_line_break_is_less_sure_than_one_read_whole():
    from dataclasses import replace

    from services.docextract.content import DocumentContent
    from services.docextract.fields import extract_fields

    def email(rows: list[list[tuple[float, str]]]) -> tuple[str, float]:
        document = DocumentContent(pages=(replace(page(rows), method="ocr"),))
        fields = extract_fields(document, "0" * 64, doc_type="loss_notice", day_first=True, country="FR")
        return next((f.value, f.confidence) for f in fields if f.name == "claimant_email")

    whole = email([[(72, "Name"), (250, "E-mail")], [(72, "Julien Rousseau"), (250, "julien.rousseau@example.com")]])
    joined = email(
        [[(72, "Name"), (250, "E-mail")], [(72, "Julien Rousseau"), (250, "julien.rousseau@example.")], [(250, "com")]]
    )
    assert whole[0] == joined[0] == "julien.rousseau@example.com"
    assert joined[1] < whole[1]
