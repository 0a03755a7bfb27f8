from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registrations.national_ids import KazakhIin, NationalIdScheme, home_scheme, iin_check_digit, make_kazakh_iin

IIN = KazakhIin()


def test_check_digit_uses_the_first_weights():
    # 9·1 + 1·4 + 1·6 + 3·7 + 1·11 = 51; 51 mod 11 = 7
    assert iin_check_digit("90010130001") == 7


def test_check_digit_falls_back_to_the_second_weights_when_the_first_give_ten():
    # First pass: 1·1 + 1·9 = 10 → second weights: 1·3 + 1·11 = 14; 14 mod 11 = 3
    assert iin_check_digit("10000000100") == 3


def test_generated_iins_are_valid_for_their_birth_dates():
    for born, female in [(date(1990, 5, 17), True), (date(1955, 12, 31), False), (date(2008, 2, 29), True)]:
        iin = make_kazakh_iin(born, female=female, serial=42)
        IIN.validate(iin, date_of_birth=born)
        assert iin[:6] == born.strftime("%y%m%d")


@pytest.mark.parametrize(
    ("born", "female", "century_digit"),
    [(date(1899, 1, 1), False, "1"), (date(1950, 1, 1), True, "4"), (date(2001, 1, 1), False, "5")],
)
def test_the_seventh_digit_encodes_century_and_sex(born, female, century_digit):
    assert make_kazakh_iin(born, female=female)[6] == century_digit


def test_wrong_length_is_refused_saying_how_long_an_iin_is():
    with pytest.raises(ValidationError, match="exactly 12 digits") as error:
        IIN.validate("90051740001", date_of_birth=date(1990, 5, 17))
    assert error.value.code == "length"


def test_wrong_check_digit_is_refused():
    good = make_kazakh_iin(date(1990, 5, 17))
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError, match="last digit does not match") as error:
        IIN.validate(bad, date_of_birth=date(1990, 5, 17))
    assert error.value.code == "checksum"


def test_an_iin_of_another_birth_date_is_refused():
    iin = make_kazakh_iin(date(1990, 5, 18))
    with pytest.raises(ValidationError, match="born on another date") as error:
        IIN.validate(iin, date_of_birth=date(1990, 5, 17))
    assert error.value.code == "birth_date"


def test_the_same_six_digits_in_another_century_are_refused():
    iin_of_2090 = make_kazakh_iin(date(2090, 5, 17))  # the century digit says 2000s
    with pytest.raises(ValidationError, match="born on another date"):
        IIN.validate(iin_of_2090, date_of_birth=date(1990, 5, 17))


def test_spaces_and_dashes_are_ignored():
    assert IIN.normalise(" 900517 40-0015 ") == "900517400015"


def test_the_home_country_decides_the_scheme_and_others_get_a_plain_check(settings):
    assert isinstance(home_scheme(), KazakhIin)
    settings.PORTAL_HOME_COUNTRY = "UZ"
    scheme = home_scheme()
    assert type(scheme) is NationalIdScheme
    scheme.validate("AB1234567", date_of_birth=None)
    with pytest.raises(ValidationError):
        scheme.validate("A!", date_of_birth=None)
