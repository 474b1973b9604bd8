from datetime import date
from decimal import Decimal

import pytest

from services.docextract import vin as vins
from services.docextract.formats import (
    date_order,
    document_currency,
    parse_date,
    parse_money,
    parse_phone,
    parse_time,
    phone_region,
)
from services.docextract.values import parse_amount


@pytest.mark.parametrize(
    ("printed", "day_first", "expected"),
    [
        ("03/14/2024", False, (date(2024, 3, 14), True)),
        ("14/03/2024", None, (date(2024, 3, 14), True)),  # only one order makes a date
        ("03/04/24", True, (date(2024, 4, 3), True)),
        ("03/04/2024", None, (date(2024, 3, 4), False)),  # the document did not say: read, but uncertain
        ("2024-03-14", True, (date(2024, 3, 14), True)),
        ("March 14, 2024", False, (date(2024, 3, 14), True)),
        ("06-Jul-2026", None, (date(2026, 7, 6), True)),
        ("15 mars 2025", None, (date(2025, 3, 15), True)),
        ("15. März 2025", None, (date(2025, 3, 15), True)),
        ("14.03.2024", None, (date(2024, 3, 14), True)),
        ("October 18, 2024 (3 days after incident)", None, (date(2024, 10, 18), True)),
        ("13/14/2024", False, None),
        ("2024", None, None),
        ("last Tuesday", False, None),
    ],
)
def test_dates_in_either_order_and_with_month_names(printed, day_first, expected):
    assert parse_date(printed, day_first=day_first) == expected


def test_a_document_says_which_order_it_writes_dates_in():
    assert date_order("Incident Date: 11/15/2024 Report: 11/16/2024", region="GB") is False
    assert date_order("Date: 25/12/2025 then 01/02/2026", region="US") is True
    assert date_order("DATE OF LOSS (MM/DD/YYYY) 03/04/2024", region="FR") is False
    assert date_order("Date: 03/04/2024", region="IN") is True  # nothing on the page: the country decides
    assert date_order("Date: 03/04/2024", region=None) is None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("02:35 PM", "14:35"),
        ("2:30 PM", "14:30"),
        ("14:35", "14:35"),
        ("12:05 am", "00:05"),
        ("12:05 P.M.", "12:05"),
        ("9.30", "09:30"),
        ("14h35", "14:35"),
        ("2 p.m.", "14:00"),
        ("25:00", None),
        ("13:00 PM", None),
        ("noon", None),
        ("1234", None),
    ],
)
def test_times_become_24_hour(printed, expected):
    assert parse_time(printed) == expected


@pytest.mark.parametrize(
    ("printed", "amount", "currency"),
    [
        ("$2,551.38", "2551.38", "USD"),
        ("€1.234,56", "1234.56", "EUR"),
        ("EUR 1 234,56", "1234.56", "EUR"),
        ("1 234,56 €", "1234.56", "EUR"),
        ("3,50,000", "350000.00", None),
        ("₹ 3,50,000", "350000.00", "INR"),
        ("INR 18,000", "18000.00", "INR"),
        ("Rs. 18,000/-", "18000.00", "INR"),
        ("£1,200.00", "1200.00", "GBP"),
        ("CA$ 950", "950.00", "CAD"),
        ("8000", "8000.00", None),
    ],
)
def test_money_keeps_its_currency(printed, amount, currency):
    money = parse_money(printed)
    assert money is not None
    assert (f"{money.amount:.2f}", money.currency) == (amount, currency)


@pytest.mark.parametrize("printed", ["$85,000 - $120,000", "12 units", "call us", "$44.79/sq ft", "TOTAL"])
def test_ranges_and_sentences_are_no_amount(printed):
    assert parse_money(printed) is None


def test_amounts_in_either_decimal_convention():
    assert [str(parse_amount(text)) for text in ("1,234", "1.234.567,8", "12.5", "USD 0.99")] == [
        "1234.00",
        "1234567.80",
        "12.50",
        "0.99",
    ]
    assert parse_amount("call us") is None
    assert isinstance(parse_amount("1"), Decimal)


def test_a_documents_currency_is_what_its_amounts_are_printed_in():
    assert document_currency("Parts $120.00\nLabour $80.00\nTotal $200.00") == "USD"
    assert document_currency("Prices in CAD\nParts $120.00") == "CAD"
    assert document_currency("Montant: 1 200,00 €") == "EUR"
    assert document_currency("no money here") is None


def test_phones_become_e164_where_the_country_is_known():
    assert parse_phone("(555) 123-4567", region="US") == "+15551234567"
    assert parse_phone("9876543210", region="IN") == "+919876543210"
    assert parse_phone("+91-9876543210", region=None) == "+919876543210"
    assert parse_phone("+44 20 7946 0958", region="US") == "+442079460958"
    assert parse_phone("(555) 123-4567", region=None) == "(555) 123-4567"  # as printed: no country to read it by
    assert parse_phone("(408) 555-REST", region="US") is None
    assert parse_phone("12", region="US") is None
    assert phone_region("Mobile: +91-9876543210") == "IN"
    assert phone_region("Tel. +49 30 1234567") == "DE"
    assert phone_region("Mobile +919876543210, fax +1 (555) 123-4567") == "IN"  # the first, written without gaps
    assert phone_region("no international number here: 0511 2388252") is None


@pytest.mark.parametrize(
    ("vin", "valid"),
    [
        ("1HGCM82633A004352", True),
        ("1M8GDM9AXKP042788", True),
        ("1HGCM82623A004352", False),
        ("1HGCM8263OA004352", False),  # O is never used in a VIN
    ],
)
def test_vin_check_digit(vin, valid):
    assert vins.check_digit_valid(vin) is valid


def test_only_north_american_vins_must_carry_the_check_digit():
    assert vins.check_digit_mandatory("1HGCM82633A004352")
    assert not vins.check_digit_mandatory("WVWZZZ1JZXW000001")
