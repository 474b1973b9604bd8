"""Table cells whose text wraps over lines, joined back; and values told in sentences."""

from services.docextract.cells import join_wrapped_cells
from services.docextract.content import PageText, PlacedWord
from services.docextract.labelled import is_label_like
from services.docextract.layout import document_lines
from services.docextract.narrative import narrative_pairs
from services.docextract.pairing import read_pairs
from services.docextract.sections import is_heading


def page(rows: list[tuple[float, list[tuple[float, str]]]]) -> PageText:
    """Rows of (top, [(x, text)]): 9.6 pt high words, 6 pt a character."""
    words = []
    for top, runs in rows:
        for x, text in runs:
            for word in text.split():
                words.append(PlacedWord(word, (x, top, x + 6.0 * len(word), top + 9.6)))
                x += 6.0 * (len(word) + 1)
    return PageText(number=1, text="", words=tuple(words))


def joined(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[list[str]]:
    lines = join_wrapped_cells(document_lines([page(rows)]), is_label=is_label_like, is_heading=is_heading)
    return [[segment.text for segment in line.segments] for line in lines]


def test_a_cell_wrapped_at_the_fonts_leading_is_joined_and_the_next_row_is_not():
    rows = [
        (100.0, [(90, "Insured"), (175, "Marcus Pruitt"), (331, "Corresponde"), (416, "1391 Birchwood Lane,")]),
        (111.0, [(331, "nce Address"), (416, "Columbus, OH 43215")]),  # 1.4 pt below: the same cells
        (123.2, [(90, "Tel."), (175, "(919) 555-0163")]),
    ]  # 2.2 pt below and a label: the next row
    assert joined(rows) == [
        ["Insured", "Marcus Pruitt", "Corresponde nce Address", "1391 Birchwood Lane, Columbus, OH 43215"],
        ["Tel.", "(919) 555-0163"],
    ]


def test_a_whole_known_label_takes_no_continuation():
    rows = [
        (100.0, [(90, "Loss Date"), (175, "12/24/2025")]),
        (111.0, [(90, "Where did it"), (175, "Quarry Road at")]),
        (122.0, [(90, "happen?"), (175, "Lakeview Drive")]),
    ]
    assert joined(rows) == [["Loss Date", "12/24/2025"], ["Where did it happen?", "Quarry Road at Lakeview Drive"]]


def test_a_last_cell_wrapping_into_words_shaped_like_a_heading_is_joined_but_a_heading_at_the_left_is_not():
    rows = [
        (100.0, [(90, "January 28, 2024"), (250, "1:30 AM"), (389, "Commerce Street at Lakeview")]),
        (111.0, [(389, "Drive, Albany")]),  # two capitalised words: a heading's shape, under the row's last cell
        (122.0, [(90, "Insured Vehicle")]),  # a heading where a row starts
    ]
    assert joined(rows) == [
        ["January 28, 2024", "1:30 AM", "Commerce Street at Lakeview Drive, Albany"],
        ["Insured Vehicle"],
    ]


def test_pairs_read_from_joined_cells():
    rows = [
        (100.0, [(90, "Police"), (175, "Omaha Police"), (331, "FIR / DD No."), (416, "RPT-35-30619")]),
        (111.0, [(90, "Station"), (175, "Department")]),
    ]
    lines = join_wrapped_cells(document_lines([page(rows)]), is_label=is_label_like, is_heading=is_heading)
    found = [(p.kind, p.raw) for p in read_pairs(lines, default_party="claimant")]
    assert found == [("police_authority", "Omaha Police Department"), ("police_report_number", "RPT-35-30619")]


LETTER = """Keisha Whitfield
446 Birchwood Lane, Tucson, AZ 85701
03/04/2024
Notification of claim under policy PAU-24742453
Dear Sir or Madam,
I am writing to report a road accident on 03/03/2024 at about 11:55 am, at Commerce Street at Maple Avenue, Fresno.
My car is a 2023 Ford F-150, registration GCD-6198 (VIN 1FTUVZVH2PG389857). The other driver, Gregory Alvarez, is
insured with Cascade Auto Insurance under policy number 20-A-875236 and can be reached on (614) 555-0105; the other
car's registration is 0TXT522. The accident was reported to the Fresno County Sheriff's Office, reference CR 28/17519.
Nobody was injured. You can reach me on (520) 555-0187 or by e-mail at keisha.whitfield@example.com.
Yours faithfully,
Keisha Whitfield"""


def test_a_letter_tells_whose_each_value_is():
    told = {(p.kind, p.party, p.raw) for p in narrative_pairs(LETTER)}
    assert {
        ("loss_date", None, "03/03/2024"),
        ("loss_time", None, "11:55 am"),
        ("loss_place", None, "Commerce Street at Maple Avenue, Fresno"),
        ("policy_number", "claimant", "PAU-24742453"),
        ("vehicle_plate", "claimant", "GCD-6198"),
        ("vehicle_vin", "claimant", "1FTUVZVH2PG389857"),
        ("name", "other_party", "Gregory Alvarez"),
        ("insurer", "other_party", "Cascade Auto Insurance"),
        ("policy_number", "other_party", "20-A-875236"),
        ("vehicle_plate", "other_party", "0TXT522"),
        ("police_authority", None, "Fresno County Sheriff's Office"),
        ("police_report_number", None, "CR 28/17519"),
        ("phone", "claimant", "(520) 555-0187"),
        ("email", "claimant", "keisha.whitfield@example.com"),
        ("name", "claimant", "Keisha Whitfield"),
    } <= told
    assert not any(kind == "loss_date" and raw == "03/04/2024" for kind, _, raw in told)  # the letter's own date


def test_a_german_letter():
    text = (
        "hiermit melde ich einen Verkehrsunfall vom 18.10.2025 gegen 05:20, Ort: Kreuzung Lindenstraße, Köln.\n"
        "Der Unfallgegner, Miriam Wagner, ist bei der Elbe Assekuranz AG versichert. Der Unfall wurde von der "
        "Polizeiinspektion Köln-Mitte aufgenommen (Vorgangsnummer 849121307)."
    )
    told = {(p.kind, p.raw) for p in narrative_pairs(text)}
    assert {
        ("loss_date", "18.10.2025"),
        ("loss_time", "05:20"),
        ("name", "Miriam Wagner"),
        ("insurer", "Elbe Assekuranz AG"),
        ("police_authority", "Polizeiinspektion Köln-Mitte"),
        ("police_report_number", "849121307"),
    } <= told


def test_two_columns_at_different_heights_each_keep_their_wrapped_cells():
    rows = [
        (316.6, [(90, "Uhrzeit: 11:10 Uhr")]),
        (328.7, [(306, "Anschrift: Lindenstraße 89, 50667 Köln")]),  # the right column, a little higher
        (338.8, [(90, "Schadenort: Kastanienallee 85, 30159")]),
        (350.8, [(90, "Hannover"), (306, "Tel.: 0341 9933009")]),
    ]  # 3 pt under its own column's line

    found = [line for line in joined(rows) if any("Schadenort" in cell for cell in line)]

    assert found == [["Schadenort: Kastanienallee 85, 30159 Hannover"]]
