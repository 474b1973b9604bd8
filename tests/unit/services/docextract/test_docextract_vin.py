from services.docextract.vin import check_digit_valid, repair_misread

VIN = "1HGCM82633A004352"


def test_letters_never_used_in_vins_are_the_digits_ocr_misread():
    assert repair_misread("1HGCM82633AOO4352") == VIN
    assert repair_misread("IHGCM82633A004352") == VIN


def test_one_character_too_many_is_dropped_when_the_check_digit_proves_which():
    assert repair_misread("1HGCM82633A0043552") == VIN


def test_a_vin_that_cannot_be_proved_is_left_as_read():
    ambiguous = "003R782M82Z246N55J"  # two ways of dropping a character both pass the check digit
    assert repair_misread(ambiguous) == ambiguous
    assert check_digit_valid(repair_misread(VIN))
