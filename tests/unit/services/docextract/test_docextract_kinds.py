import pytest

from services.docextract.kinds import DocumentContext, read_value

US = DocumentContext(doc_type="loss_notice", day_first=False, region="US", currency="USD")


def values(kind: str, raw: str, context: DocumentContext = US) -> dict[str, str]:
    return {name: value for name, value, _ in read_value(kind, raw, context)}


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("policy_number", "90 days with receipt"),  # a return policy
        ("policy_number", "© 2016 ACORD CORPORATION"),
        ("policy_number", "Homeowners"),
        ("policy_number", "03/14/2024"),
        ("email", "see attached"),
        ("phone", "call us"),
        ("name", "Complete structural loss from fire - $35,000"),
        ("name", "Policy Number"),
        ("loss_date", "after the storm"),
        ("estimate", "$85,000 - $120,000 (structure and contents)"),
        ("vehicle_year", "1850"),
        ("vehicle_plate", "the blue car"),
    ],
)
def test_a_value_not_of_its_kind_is_not_read(kind, raw):
    assert read_value(kind, raw, US) == []


def test_values_of_their_kind_are_read_in_canonical_form():
    assert values("policy_number", "# POL-2024-789456") == {"policy_number": "POL-2024-789456"}
    assert values("name", "Michael Chen (driver of other vehicle)") == {"name": "Michael Chen"}
    assert values("name", "Michael Torres, Senior Estimator") == {"name": "Michael Torres"}
    assert values("email", "maria.gonzalez @example.com") == {"email": "maria.gonzalez@example.com"}
    assert values("loss_time", "approx. 2:30 PM") == {"loss_time": "14:30"}
    assert values("estimate", "INR 18,000") == {"estimate": "18000.00", "currency": "INR"}
    assert values("injuries", "No") == {"injuries": "none"}


def test_an_address_wrapped_in_its_cell_is_put_back_together_and_a_cut_one_is_less_sure():
    assert values("email", "julien.rousseau@example.c om") == {"email": "julien.rousseau@example.com"}
    assert values("email", "oliver.kettering@example. net") == {"email": "oliver.kettering@example.net"}
    assert values("email", "ann@example.com Tel. 555") == {"email": "ann@example.com"}  # a second word is not a tail
    [(_, _, whole)] = read_value("email", "ann@example.com", US)
    [(_, cut, factor)] = read_value("email", "julien.rousseau@example.c", US)
    assert cut == "julien.rousseau@example.c" and factor < whole


def test_one_label_can_hold_a_whole_vehicle():
    assert values("asset", "VIN 1HGBH41JXMN109186 (2021 Honda Accord)") == {
        "vehicle_vin": "1HGBH41JXMN109186",
        "vehicle_year": "2021",
        "vehicle_make": "Honda",
        "vehicle_model": "Accord",
    }
    assert values("asset", "KA01AB1234") == {"vehicle_plate": "KA01AB1234"}


def test_a_narrative_says_when_and_whether_anyone_was_hurt():
    told = values("description", "At approximately 2:30 AM the fire reached the house. No injuries were reported.")
    assert told["loss_time"] == "02:30"
    assert told["injuries"] == "none"
    hurt = values("description", "The other car ran the red light. The driver sustained whiplash.")
    assert hurt["injuries"] == "The driver sustained whiplash."


def test_an_ambiguous_date_is_read_with_less_confidence():
    undecided = DocumentContext(doc_type="loss_notice", day_first=None, region=None, currency=None)
    [(_, value, factor)] = read_value("loss_date", "03/04/2024", undecided)
    assert value == "2024-03-04"
    assert factor < 0.8


def test_a_label_holding_date_and_time_gives_both():
    assert values("loss_datetime", "03/14/2024 2:35 PM") == {"loss_date": "2024-03-14", "loss_time": "14:35"}
    assert values("loss_datetime", "March 14, 2024 at 14:35") == {"loss_date": "2024-03-14", "loss_time": "14:35"}


def test_printed_check_boxes_say_which_option_is_marked():
    assert values("injuries", "☒ Yes ☐ No") == {"injuries": "yes"}
    assert values("injuries", "[ ] Yes [X] No") == {"injuries": "none"}
    assert values("injuries", "☐ Yes ☐ No") == {}


def test_a_text_value_that_stops_mid_phrase_is_read_with_less_confidence():
    [(_, whole, sure)] = read_value("loss_place", "Commerce Street at Maple Avenue, Fresno", US)
    [(_, cut, unsure)] = read_value("loss_place", "Commerce Street at", US)
    assert (whole, cut) == ("Commerce Street at Maple Avenue, Fresno", "Commerce Street at")
    assert unsure < 0.8 <= sure
