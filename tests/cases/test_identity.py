import pytest

from onewindow.identity import (
    format_snils,
    is_valid_snils,
    mask_snils,
    snils_check_number,
    snils_error,
)


@pytest.mark.parametrize(
    "first_nine,total,check",
    [
        ("112233445", 95, 95),  # sum < 100: the check is the sum
        ("001326679", 100, 0),  # sum 100 -> 00
        ("001508816", 101, 0),  # sum 101 -> 00
        ("017996174", 201, 0),  # sum mod 101 = 100 -> 00
        ("123456789", 165, 64),  # sum > 101: sum mod 101
    ],
)
def test_check_number(first_nine, total, check):
    assert sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1), strict=True)) == total
    assert snils_check_number(first_nine) == check


@pytest.mark.parametrize(
    "value",
    [
        "112-233-445 95",
        "11223344595",
        "112 233 445 95",
        "001-326-679 00",
        "017-996-174 00",
        "001-001-998 12",
    ],
)
def test_valid_numbers_in_any_formatting(value):
    assert is_valid_snils(value)


@pytest.mark.parametrize(
    "value,message",
    [
        ("112-233-445 96", "неверное контрольное число СНИЛС — проверьте номер"),
        ("1122334459", "в СНИЛС должно быть 11 цифр, введено 10"),
        ("112233445950", "в СНИЛС должно быть 11 цифр, введено 12"),
        ("112-233-445 9А", "СНИЛС состоит только из цифр (допустимы пробел и дефис)"),
        ("snils", "СНИЛС состоит только из цифр (допустимы пробел и дефис)"),
        ("001-326-679 01", "неверное контрольное число СНИЛС — проверьте номер"),
    ],
)
def test_wrong_numbers_are_explained(value, message):
    assert snils_error(value) == message


def test_format_and_mask():
    assert format_snils("11223344595") == "112-233-445 95"
    assert mask_snils("112-233-445 95") == "•••-•••-445 95"
