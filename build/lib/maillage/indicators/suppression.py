"""Statistical secrecy: a count under the threshold could single out a person, so it is hidden.

Zero stays zero (it singles out nobody). Rates and percentiles are only computed over groups
at or above the threshold, and a rate is hidden when its numerator or its complement is
(otherwise the hidden count could be recomputed from the rate and the total).
"""

from django.conf import settings


def threshold():
    return int(getattr(settings, "MAILLAGE_INDICATORS_SUPPRESS_BELOW", 5))


def is_hidden(count):
    return count is not None and 0 < count < threshold()


def visible(count):
    """The count, or None when it must not be shown (API, charts)."""
    return None if is_hidden(count) else count


def label(count):
    """The count as shown in pages and exports: "< 5" when hidden."""
    if count is None:
        return "—"
    if is_hidden(count):
        return f"< {threshold()}"
    return f"{count:,}".replace(",", "\u202f")


def rate(numerator, denominator):
    """numerator / denominator in %, or None when it would give a small count away: a small
    group, a hidden numerator, or a hidden rest (98 % of 100 people tells that 2 are not)."""
    if not denominator or denominator < threshold():
        return None
    if is_hidden(numerator) or is_hidden(denominator - numerator):
        return None
    return round(100 * numerator / denominator, 1)


def ratio(numerator, denominator):
    """A share of things, not of people (seats filled): only the numerator is protected."""
    if not denominator or is_hidden(numerator):
        return None
    return round(100 * numerator / denominator, 1)
