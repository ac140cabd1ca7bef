"""Periods and filters of the dashboards: month, quarter, year, custom range, department."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.french import date_fr
from maillage.core.parsing import DATE_MAX, DATE_MIN, date_check

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
MAX_DAYS = 366 * 10


def month_start(day):
    return day.replace(day=1)


def next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day):
    return next_month(day) - timedelta(days=1)


def add_months(day, count):
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start, end):
    """First days of the months that [start, end] touches."""
    month = month_start(start)
    while month <= end:
        yield month
        month = next_month(month)


def ordinal(number):
    return f"{number}ᵉʳ" if number == 1 else f"{number}ᵉ"


def month_label(day):
    return f"{MONTHS[day.month - 1]} {day.year}"


SHORT_MONTHS = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip


def short_month_label(day):
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    key: str  # what the filter form sends back: "2026-03", "2026-T1", "2026", "12m", "perso"
    label: str

    @property
    def days(self):
        return (self.end - self.start).days + 1


def _parse_date(value, field):
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(
            f"Date invalide : « {value} ». Utilisez le format AAAA-MM-JJ.", code="date", field=field
        ) from None
    # 1900–2100, as everywhere: the comparison periods computed from it stay valid dates.
    return date_check(day, field=field)


def custom_period(start_text, end_text, *, start_field="du", end_field="au"):
    if not start_text or not end_text:
        raise DomainError(
            "Indiquez les deux dates de la période personnalisée.",
            code="period",
            field=start_field if not start_text else end_field,
        )
    start = _parse_date(start_text, start_field)
    end = _parse_date(end_text, end_field)
    if end < start:
        raise DomainError(
            "La date de fin précède la date de début.", code="period", field=end_field
        )
    if (end - start).days > MAX_DAYS:
        raise DomainError("La période ne peut dépasser dix ans.", code="period", field=end_field)
    # Read in sentences: "sur la période du 1er juin 2026 au 30 juin 2026".
    label = f"la période du {date_fr(start)} au {date_fr(end)}"
    return Period(start, end, "perso", label)


def named_period(key, *, today=None):
    """A period from its key: `YYYY-MM`, `YYYY-Tn` (quarter), `YYYY`, or `12m` (default)."""
    today = today or timezone.localdate()
    key = (key or "12m").strip()
    try:
        if key == "12m":
            return Period(add_months(today, -11), today, key, "les 12 derniers mois")
        if not DATE_MIN.year <= int(key[:4]) <= DATE_MAX.year:
            raise ValueError  # year 1 or 9999: the period before or after it is no date
        if len(key) == 4:
            year = int(key)
            return Period(date(year, 1, 1), date(year, 12, 31), key, f"l'année {year}")
        if len(key) == 7 and key[4:6] == "-T":
            year, quarter = int(key[:4]), int(key[6])
            if not 1 <= quarter <= 4:
                raise ValueError
            start = date(year, 3 * quarter - 2, 1)
            return Period(
                start,
                month_end(add_months(start, 2)),
                key,
                f"le {ordinal(quarter)} trimestre {year}",
            )
        if len(key) == 7 and key[4] == "-":
            start = date(int(key[:4]), int(key[5:]), 1)
            return Period(start, month_end(start), key, month_label(start))
    except ValueError:
        pass
    raise DomainError(
        f"Période inconnue : « {key} ». Choisissez un mois, un trimestre, une année ou une "
        "période personnalisée.",
        code="period",
        field="periode",
    )


def period_from_params(params, *, today=None):
    """The period of a dashboard request (form fields `periode`, `du`, `au`)."""
    if params.get("periode") == "perso" or (not params.get("periode") and params.get("du")):
        return custom_period(params.get("du"), params.get("au"))
    return named_period(params.get("periode"), today=today)


def period_choices(*, today=None):
    """Options of the period select: recent months, quarters, years, then custom."""
    today = today or timezone.localdate()
    choices = [("12m", "Les 12 derniers mois")]
    for back in range(0, 4):
        year = today.year - back
        choices.append((str(year), f"Année {year}"))
    quarter = (today.month - 1) // 3 + 1
    year = today.year
    for _ in range(8):
        choices.append((f"{year}-T{quarter}", f"{ordinal(quarter)} trimestre {year}"))
        quarter -= 1
        if quarter == 0:
            quarter, year = 4, year - 1
    month = month_start(today)
    for _ in range(24):
        choices.append((month.strftime("%Y-%m"), month_label(month).capitalize()))
        month = add_months(month, -1)
    choices.append(("perso", "Période personnalisée (dates ci-dessous)"))
    return choices


def department_from_params(value, *, field="departement"):
    """A department code of the reference data, or None for every department."""
    from maillage.partners.models import Department

    value = (value or "").strip()
    if not value:
        return None
    if not Department.objects.filter(pk=value).exists():
        raise DomainError(f"Département inconnu : « {value} ».", code="department", field=field)
    return value
