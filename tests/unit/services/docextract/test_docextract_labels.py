from services.docextract.labels import field_for, labelled_values


def test_several_pairs_on_one_line():
    line = "Report Number: SPD-1 Reporting Officer: Badge 7 Date of Incident: March 14, 2024 Time of Incident: 14:35"

    assert list(labelled_values(line)) == [
        ("police_report_number", "SPD-1"), ("loss_date", "March 14, 2024"), ("loss_time", "14:35")]


def test_a_value_of_several_words_before_the_next_label():
    assert list(labelled_values("Owner: Maria de la Cruz Phone: +1 217 555 0142")) == [
        ("claimant_name", "Maria de la Cruz"), ("claimant_phone", "+1 217 555 0142")]


def test_a_narrative_runs_over_lines_until_a_heading_or_label():
    text = "Narrative: The car hit\na pole: nobody was hurt.\nPARTY 2\nDescription of Loss:\nHail.\nPlate:\nAB 12"

    assert list(labelled_values(text)) == [
        ("description", "The car hit a pole: nobody was hurt."), ("description", "Hail."), ("vehicle_plate", "AB 12")]


def test_lower_case_words_before_a_colon_are_not_labels():
    assert list(labelled_values("Narrative: the other driver: a man in a red truck")) == [
        ("description", "the other driver: a man in a red truck")]


def test_form_field_names_and_box_labels_map_to_fields():
    assert field_for("Vehicle_VIN") == "vehicle_vin"
    assert field_for("form1.PolicyNumber[0]") == "policy_number"
    assert field_for("DATE OF LOSS (MM/DD/YYYY)") == "loss_date"
    assert field_for("INSURED'S E-MAIL") == "claimant_email"
    assert field_for("Estimate Number") is None
    assert field_for("Favourite colour") is None
