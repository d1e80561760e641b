"""Redaction of personal data: each format, check digits, and the distractors that must stay."""

from __future__ import annotations

import itertools

import pytest

from kundfokus.contacts.redaction import (
    KINDS,
    Match,
    Redactor,
    find_pii,
    iban_valid,
    luhn_valid,
    personnummer_valid,
    redact,
    redact_many,
)
from kundfokus.errors import InputError

# Test numbers: 811218-9876 and 19811218-9876 pass Luhn (8*2..: 7+1+2+2+2+8+9+8+5+6 = 50);
# 811278-9873 is a samordningsnummer (day 18 + 60) that passes Luhn.
PNR = "811218-9876"


def kinds_of(text: str) -> list[str]:
    return [m.kind for m in find_pii(text)]


# ---- check digits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits, ok",
    [
        ("8112189876", True),
        ("8112189875", False),
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("79927398713", True),
        ("79927398710", False),
    ],
)
def test_luhn(digits, ok):
    assert luhn_valid(digits) is ok


@pytest.mark.parametrize(
    "number, ok",
    [
        ("811218-9876", True),
        ("8112189876", True),
        ("19811218-9876", True),
        ("198112189876", True),
        ("811218+9876", True),  # + separator: 100 years or older
        ("811278-9873", True),  # samordningsnummer
        ("811218-9875", False),  # wrong check digit
        ("811318-9876", False),  # month 13
        ("811232-9876", False),  # day 32
        ("17811218-9876", False),  # century 17
        ("810230-1234", False),  # 30 February
    ],
)
def test_personnummer_valid(number, ok):
    assert personnummer_valid(number) is ok


@pytest.mark.parametrize(
    "iban, ok",
    [
        ("SE45 5000 0000 0583 9825 7466", True),
        ("SE4550000000058398257466", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("DE89 3704 0044 0532 0130 00", True),
        ("SE45 5000 0000 0583 9825 7467", False),  # mod 97 fails
        ("SE45 5000 0000 0583 9825 746", False),  # too short for SE
        ("XX45 5000 0000 0583 9825 7466", False),  # unknown country
    ],
)
def test_iban_valid(iban, ok):
    assert iban_valid(iban) is ok


# ---- each kind and format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pnr",
    [
        "811218-9876",
        "811218+9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "811218 - 9876",
        "811218 -9876",
        "19811218 9876",
        "811278-9873",
    ],
)
def test_personnummer_formats(pnr):
    assert (
        redact(f"Mitt personnummer är {pnr}, tack.") == "Mitt personnummer är [PERSONNUMMER], tack."
    )


@pytest.mark.parametrize(
    "phone",
    [
        "070-123 45 67",
        "0701234567",
        "070-1234567",
        "070 123 45 67",
        "08-123 456 78",
        "08 12 34 56",
        "08-12 34 56",
        "031-12 34 56",
        "0980-123 45",
        "(08) 123 456 78",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "0046 70 123 45 67",
        "+46 8 123 456 78",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+358 40 123 4567",
        "(555) 123-4567",
    ],
)
def test_phone_formats(phone):
    assert redact(f"Ring mig på {phone} i eftermiddag") == "Ring mig på [PHONE] i eftermiddag"


@pytest.mark.parametrize(
    "email", ["anna@example.se", "a.b-c+tag@mail.example.co.uk", "örjan.åsa@exempel.se"]
)
def test_email(email):
    assert redact(f"Skriv till {email}.") == "Skriv till [EMAIL]."


@pytest.mark.parametrize(
    "card",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444",
     "3782 822463 10005", "4012 8888 8888 1881"],
)  # fmt: skip
def test_card(card):
    assert redact(f"Kortnummer {card} dras fel") == "Kortnummer [CARD] dras fel"


def test_card_with_bad_luhn_or_prefix_is_kept():
    assert redact("kort 4111 1111 1111 1112") == "kort 4111 1111 1111 1112"
    # 16 digits, Luhn-valid, but starting with 9: no card issuer
    assert luhn_valid("9111111111111110")
    assert redact("nummer 9111111111111110") == "nummer 9111111111111110"


@pytest.mark.parametrize(
    "iban",
    ["SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466", "GB82 WEST 1234 5698 7654 32"],
)
def test_iban(iban):
    assert redact(f"IBAN {iban} och BIC") == "IBAN [IBAN] och BIC"


# ---- distractors that must stay -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Leverans 2024-05-01, betalt 1 maj, förfaller 12/3",
        "Det kostar 1 299 kr eller 1,299.00 SEK, rea 500:-",
        "order 123456 och ärende 2024-12345, se #A12345",
        "OCR 1234567890123 på fakturan",
        "Ring efter kl 14:30 eller 08.15",
        "Adress: Drottninggatan 1, 114 55 Stockholm",
        "811218-9875 är fel kontrollsiffra",  # invalid Luhn
        "811318-9876 har månad 13",  # Luhn-valid digits? not a date either way
        "1234567890 är inget datum",
        "Tidsintervall 14.30-16.00, version 2.4.1",
        "2024-05-01 08:00",
        "Betala 2 499 kr senast 2024-06-30",
        "Saldo -1 234,50 kr",
        "",
    ],
)
def test_distractors_stay(text):
    assert find_pii(text) == []
    assert redact(text) == text


def test_luhn_valid_ten_digits_that_are_no_date_stay():
    # passes Luhn, but month 34 makes it no personnummer (and it does not start with 0: no phone)
    assert luhn_valid("1234567897")
    assert redact("kundnr 1234567897 och 1234567897") == "kundnr 1234567897 och 1234567897"


def test_order_number_that_looks_like_a_personnummer_is_kept_after_order_words():
    assert personnummer_valid("198112189876")
    for word in ("order", "ordernummer", "Ordernr:", "ärende", "OCR", "faktura nr", "invoice #"):
        assert redact(f"{word} 198112189876") == f"{word} 198112189876"
    # without an identifier word it is redacted: a date-like Luhn-valid number is a personnummer
    assert redact("nummer 198112189876") == "nummer [PERSONNUMMER]"


def test_card_number_after_ocr_is_kept():
    assert redact("OCR 4111111111111111") == "OCR 4111111111111111"


def test_bare_ten_digits_starting_with_0_are_a_phone_unless_personnummer_is_said():
    # 0701234567 is both a mobile number and (2007-01-23, if Luhn-valid) a possible personnummer
    assert redact("ring 0701234567") == "ring [PHONE]"
    assert personnummer_valid("0701234569")
    assert redact("personnummer 0701234569") == "personnummer [PERSONNUMMER]"
    assert redact("ring 0701234569") == "ring [PHONE]"


def test_phone_followed_by_another_number_is_cut_at_the_right_group():
    assert redact("ring 070-123 45 67 2 gånger") == "ring [PHONE] 2 gånger"


def test_two_digit_area_code_only_08():
    assert redact("05-12 34 56") == "05-12 34 56"


# ---- mixed texts, ordering and API --------------------------------------------------------------


def test_swedish_contact_end_to_end():
    text = (
        "Hej! Mitt kort är stulet, spärra det nu. Mitt personnummer är 19811218-9876, "
        "ring mig på 070-123 45 67 eller mejla anna.svensson@example.se. Order 123456 kom 1 maj."
    )
    assert redact(text) == (
        "Hej! Mitt kort är stulet, spärra det nu. Mitt personnummer är [PERSONNUMMER], "
        "ring mig på [PHONE] eller mejla [EMAIL]. Order 123456 kom 1 maj."
    )


def test_find_pii_returns_sorted_non_overlapping_matches():
    text = f"IBAN SE45 5000 0000 0583 9825 7466, kort 4111 1111 1111 1111, pnr {PNR}, tel 08-123 456 78"
    found = find_pii(text)
    assert [m.kind for m in found] == ["iban", "card", "personnummer", "phone"]
    for m in found:
        assert isinstance(m, Match)
        assert text[m.start : m.end] == m.text
    ends = [(m.start, m.end) for m in found]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))


def test_kinds_select_what_is_redacted():
    text = f"pnr {PNR}, a@b.se, 070-123 45 67"
    assert redact(text, kinds=["email"]) == f"pnr {PNR}, [EMAIL], 070-123 45 67"
    assert redact(text, kinds=("phone", "personnummer")) == "pnr [PERSONNUMMER], a@b.se, [PHONE]"
    assert kinds_of(text) == ["personnummer", "email", "phone"]


def test_unknown_kind_and_non_text_raise_input_error():
    with pytest.raises(InputError, match="unknown kind") as err:
        Redactor(kinds=["phone", "name"])
    assert err.value.value == "name"
    with pytest.raises(InputError) as err:
        redact_many(["ok", 12])
    assert err.value.row == 2 and err.value.value == 12
    with pytest.raises(InputError):
        redact(None)  # type: ignore[arg-type]


def test_counts_and_redact_with_counts():
    r = Redactor()
    text, counts = r.redact_with_counts(f"{PNR} a@b.se c@d.se")
    assert text == "[PERSONNUMMER] [EMAIL] [EMAIL]"
    assert counts == {"personnummer": 1, "email": 2}
    assert r.counts(["a@b.se", "070-123 45 67", "inget"]) == {"email": 1, "phone": 1}
    assert set(KINDS) == {"email", "iban", "card", "personnummer", "phone"}


def test_redaction_is_idempotent():
    text = f"pnr {PNR}, tel +46 70 123 45 67, kort 4111 1111 1111 1111"
    once = redact(text)
    assert redact(once) == once


@pytest.mark.parametrize(
    "text, expected",
    [
        ("070-123 45 67/08-123 456 78", "[PHONE]/[PHONE]"),
        ("070-123 45 67, 08-123 456 78", "[PHONE], [PHONE]"),
        ("tel:+46701234567", "tel:[PHONE]"),
        ("pnr:8112189876", "pnr:[PERSONNUMMER]"),
        ("(811218-9876)", "([PERSONNUMMER])"),
        ("19811218\u20139876", "[PERSONNUMMER]"),  # en dash from a word processor
        ("08\u2013123 456 78", "[PHONE]"),
        ("ANNA@EXAMPLE.SE", "[EMAIL]"),
        ("iban se45 5000 0000 0583 9825 7466", "iban [IBAN]"),
        ("Mitt nr: 0046701234567", "Mitt nr: [PHONE]"),
        ("ring 46701234567", "ring [PHONE]"),
        ("08/12 2024", "08/12 2024"),  # a date, not 08-area phone
        ("Bankgiro 5050-1055", "Bankgiro 5050-1055"),
        ("order nr 0701234567", "order nr 0701234567"),
    ],
)
def test_edge_cases(text, expected):
    assert redact(text) == expected


def test_card_prefixes_and_timestamps():
    # Mastercard's 2-series (2221-2720) is a card; a Luhn-valid 14-digit timestamp is not
    assert luhn_valid("2223000048400011")
    assert redact("kort 2223 0000 4840 0011") == "kort [CARD]"
    stamp = next(f"2024050112304{i}" for i in range(10) if luhn_valid(f"2024050112304{i}"))
    assert redact(f"logg {stamp}") == f"logg {stamp}"


def test_personnummer_born_in_the_future_is_no_personnummer():
    assert not personnummer_valid("20990101-0008")
    assert personnummer_valid("20070101-0008") == luhn_valid("0701010008")


def test_kinds_as_generator_or_comma_string():
    text = "a@b.se 070-123 45 67"
    assert redact(text, kinds=(k for k in ["email"])) == "[EMAIL] 070-123 45 67"
    assert redact(text, kinds="phone") == "a@b.se [PHONE]"
