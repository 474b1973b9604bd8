from services.links import normalise


def test_phones_of_any_spelling_are_one_e164_number() -> None:
    assert normalise.phone("(217) 555-0142") == "+12175550142"
    assert normalise.phone("+1 217 555 0142") == "+12175550142"
    assert normalise.phone("020 7946 0000", "GB") == "+442079460000"


def test_a_phone_that_is_no_number_links_nothing() -> None:
    assert normalise.phone("12") is None
    assert normalise.phone("call me") is None


def test_emails_are_lower_case_and_need_one_at() -> None:
    assert normalise.email("  Jane.Doe@Example.COM ") == "jane.doe@example.com"
    assert normalise.email("jane@doe@example.com") is None


def test_names_lose_accents_titles_and_punctuation() -> None:
    assert normalise.name("Dr. José O'Neil") == normalise.name("jose o neil") == "jose o neil"


def test_us_street_lines_are_parsed_with_their_suffix_abbreviated() -> None:
    long = normalise.address("1234 West Maple Street", "Springfield", "62701", "US")
    short = normalise.address("1234 W. Maple St", "SPRINGFIELD", "62701", "US")
    assert long is not None and short is not None
    assert (long.number, long.street) == ("1234", "w maple st")
    assert long.key == short.key


def test_an_address_without_a_street_is_no_address() -> None:
    assert normalise.address(None, "Springfield", "62701", "US") is None


def test_iban_check_digits_are_verified() -> None:
    assert normalise.bank_account(iban="GB82 WEST 1234 5698 7654 32") == "GB82WEST12345698765432"
    assert normalise.bank_account(iban="GB83WEST12345698765432") is None
    assert normalise.bank_account(account="12-345678", routing="021000021") == "021000021:12345678"


def test_company_names_lose_their_legal_form() -> None:
    assert normalise.company("Smith & Sons Ltd.") == normalise.company("SMITH SONS") == "smith sons"
