"""Business days skip weekends and French public holidays."""

from datetime import date

from maillage.core.business_days import add_business_days, business_days_between, is_business_day


def test_public_holidays_are_not_business_days():
    assert not is_business_day(date(2019, 5, 1))  # fête du Travail, a Wednesday
    assert not is_business_day(date(2019, 4, 22))  # lundi de Pâques
    assert not is_business_day(date(2019, 7, 14))
    assert is_business_day(date(2019, 5, 2))


def test_adding_business_days_skips_weekends_and_holidays():
    # Friday 26 April 2019 + 3 business days: Mon 29, Tue 30, (Wed 1 May holiday) Thu 2 May.
    assert add_business_days(date(2019, 4, 26), 3) == date(2019, 5, 2)
    assert add_business_days(date(2019, 4, 26), 0) == date(2019, 4, 26)


def test_business_days_between_counts_the_end_not_the_start():
    assert business_days_between(date(2019, 4, 26), date(2019, 5, 2)) == 3
    assert business_days_between(date(2019, 5, 2), date(2019, 4, 26)) == 0
    # Christmas 2019 to New Year: 26, 27, 30, 31 December are business days; 1 January is not.
    assert business_days_between(date(2019, 12, 24), date(2020, 1, 1)) == 4
