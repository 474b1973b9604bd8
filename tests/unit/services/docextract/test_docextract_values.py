from datetime import date
from decimal import Decimal

import pytest

from services.docextract import vin as vins
from services.docextract.values import normalize, parse_amount, parse_date, parse_time


@pytest.mark.parametrize(("printed", "day_first", "expected"), [
    ("03/14/2024", False, date(2024, 3, 14)),
    ("14/03/2024", True, date(2024, 3, 14)),
    ("03/04/24", True, date(2024, 4, 3)),
    ("2024-03-14", True, date(2024, 3, 14)),
    ("March 14, 2024", False, date(2024, 3, 14)),
    ("14 Mar 2024", True, date(2024, 3, 14)),
    ("14.03.2024", True, date(2024, 3, 14)),
    ("13/14/2024", False, None),
    ("last Tuesday", False, None),
])
def test_dates_are_read_in_the_claims_day_month_order(printed, day_first, expected):
    assert parse_date(printed, day_first=day_first) == expected


@pytest.mark.parametrize(("printed", "expected"), [
    ("02:35 PM", "14:35"), ("14:35", "14:35"), ("12:05 am", "00:05"), ("12:05 P.M.", "12:05"), ("9.30", "09:30"),
    ("14h35", "14:35"), ("25:00", None), ("13:00 PM", None), ("noon", None),
])
def test_times_become_24_hour(printed, expected):
    assert parse_time(printed) == expected


@pytest.mark.parametrize(("printed", "expected"), [
    ("$2,551.38", "2551.38"), ("€1.234,56", "1234.56"), ("EUR 1 234,56", "1234.56"), ("1,234", "1234.00"),
    ("1.234.567,8", "1234567.80"), ("12.5", "12.50"), ("USD 0.99", "0.99"), ("call us", None),
])
def test_amounts_in_either_decimal_convention(printed, expected):
    amount = parse_amount(printed)
    assert (None if amount is None else str(amount)) == expected
    assert amount is None or isinstance(amount, Decimal)


def test_a_value_that_does_not_parse_is_kept_as_printed():
    assert normalize("loss_date", " the  14th ", day_first=False) == ("the 14th", False)
    assert normalize("description", "Hit\na  pole", day_first=False) == ("Hit a pole", True)
    assert normalize("injuries", "None.", day_first=False) == ("none", True)
    assert normalize("vehicle_vin", "1hgcm8263-3a004352", day_first=False) == ("1HGCM82633A004352", True)


@pytest.mark.parametrize(("vin", "valid"), [
    ("1HGCM82633A004352", True), ("1M8GDM9AXKP042788", True), ("1HGCM82623A004352", False),
    ("1HGCM8263OA004352", False),  # O is never used in a VIN
])
def test_vin_check_digit(vin, valid):
    assert vins.check_digit_valid(vin) is valid


def test_only_north_american_vins_must_carry_the_check_digit():
    assert vins.check_digit_mandatory("1HGCM82633A004352")
    assert not vins.check_digit_mandatory("WVWZZZ1JZXW000001")


def test_invoice_totals_are_amounts_and_emails_lose_the_spaces_ocr_adds():
    assert normalize("invoice_total", "$1,072.00", day_first=False) == ("1072.00", True)
    assert normalize("claimant_email", "maria.gonzalez @example. com", day_first=False) == (
        "maria.gonzalez@example.com", True)
    assert normalize("claimant_email", "maria.gonzalezexample.com", day_first=False)[1] is False
