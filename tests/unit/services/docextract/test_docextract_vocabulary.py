import pytest

from services.docextract.vocabulary import form_field_meaning, heading_party, meaning_of


@pytest.mark.parametrize(
    ("label", "meaning"),
    [
        ("Policy Number", (None, "policy_number")),
        ("POLICY NO.", (None, "policy_number")),
        ("Numéro de police", (None, "policy_number")),
        ("Versicherungsnummer", (None, "policy_number")),
        ("DATE OF LOSS (MM/DD/YYYY)", (None, "loss_date")),
        ("Incident Date", (None, "loss_date")),
        ("Datum des Schadens", (None, "loss_date")),
        ("Asset ID", (None, "asset")),
        ("Estimated Damage", (None, "estimate")),
        ("Contact Number", (None, "phone")),
        ("Reg. No.", (None, "vehicle_plate")),
        ("INSURED'S E-MAIL", ("claimant", "email")),
        ("Third Party", ("other_party", "name")),
        ("Other Party Insurer", ("other_party", "insurer")),
    ],
)
def test_labels_in_many_wordings_and_languages(label, meaning):
    assert meaning_of(label) == (meaning, 1.0)


def test_a_near_miss_is_matched_fuzzily_and_less_surely():
    found = meaning_of("Pol1cy Number")  # as OCR reads it
    assert found is not None
    assert found[0] == (None, "policy_number")
    assert 0.88 <= found[1] < 1.0


@pytest.mark.parametrize("label", ["Return Policy", "Policy Effective Dates", "Claim Type", "Subtotal", "Time Arrived"])
def test_known_labels_that_hold_nothing_we_read_win_over_a_near_miss(label):
    assert meaning_of(label) == ((None, None), 1.0)


def test_unknown_and_short_labels_are_not_guessed():
    assert meaning_of("Favourite colour") is None
    assert meaning_of("Poly") is None


def test_headings_name_the_party_of_their_section():
    assert heading_party("THIRD PARTY DETAILS") == (True, "other_party")
    assert heading_party("Vehicle 2") == (True, "other_party")
    assert heading_party("2. Repair Shop") == (True, "shop")
    assert heading_party("Policyholder Details") == (True, "claimant")
    assert heading_party("Incident Information") == (True, None)
    assert heading_party("Thank you for your business") == (False, None)


def test_form_field_names_say_what_they_hold_unless_generic():
    assert form_field_meaning("Vehicle_VIN") == (None, "vehicle_vin")
    assert form_field_meaning("form1.PolicyNumber[0]") == (None, "policy_number")
    assert form_field_meaning("OtherParty_FullName") == ("other_party", "name")
    assert form_field_meaning("Text7") is None
    assert form_field_meaning("Check Box6") is None
