"""Daily (and monthly) roll-ups of referrals: what the dashboards read instead of raw rows.

Every row counts events that happened on `day` (a referral sent, received, accepted, ended…),
never the current state of referrals, so a past day never changes once it is over and the
worker only has to rebuild yesterday and today. Month rows (span=month, day=1st of the month)
are the sums of their day rows: a dashboard over a year reads 12 month rows per combination
and the day rows of the partial months at both ends. Rows with department "*" sum every
department (what a dashboard without a department filter reads: eight times fewer rows).
No personal data: only counts.
"""

from django.db import models

from maillage.indicators.enums import DelayMeasure, ProfileDimension, ReasonKind, Side, Span

ORGANISATION = "partners.Organisation"


class ReferralFlowFact(models.Model):
    """Events of the referrals between two operators, per day (or month) and department."""

    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    # Derived rows, rebuilt from the referrals: no database constraint to check on each of
    # the millions of rows a rebuild writes (no foreign key, no unique constraint: the rebuild's
    # GROUP BY writes each combination once), and no index but the two the roll-ups read by.
    sender = models.ForeignKey(
        ORGANISATION,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    receiver = models.ForeignKey(
        ORGANISATION,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    department = models.CharField(max_length=3, blank=True)
    sent = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    redirected = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "flux d'orientations (agrégat)"
        # Dashboards read one department (or "*") over a range of days: the first index finds
        # those rows without scanning the other departments' rows of the same days; the worker
        # deletes and sums the rows of a range of days through the second.
        indexes = [
            models.Index(fields=["department", "span", "day"], name="ind_flow_dept"),
            models.Index(fields=["span", "day"], name="ind_flow_span_day"),
        ]

    def __str__(self):
        return f"{self.span} {self.day} {self.sender_id}→{self.receiver_id}"


class ReferralProfileFact(models.Model):
    """Profiles of the people referred, per operator and side: one dimension per row.

    Age band and situation are counted separately (not crossed) to keep the table small.
    """

    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    organisation = models.ForeignKey(
        ORGANISATION,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    department = models.CharField(max_length=3, blank=True)
    dimension = models.CharField(max_length=20, choices=ProfileDimension.choices)
    value = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "profil des personnes orientées (agrégat)"
        # Dashboards read one department (or "*") over a range of days: this index finds
        # those rows without scanning the other departments' rows of the same days.
        indexes = [
            models.Index(fields=["department", "span", "day"], name="ind_profile_dept"),
            models.Index(fields=["span", "day"], name="ind_profile_span_day"),
        ]

    def __str__(self):
        return f"{self.span} {self.day} {self.organisation_id} {self.side} {self.dimension}"


class ReferralReasonFact(models.Model):
    """Refusals by reason and closings by outcome per receiver, on the day the referral ended."""

    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    receiver = models.ForeignKey(
        ORGANISATION,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    department = models.CharField(max_length=3, blank=True)
    kind = models.CharField(max_length=10, choices=ReasonKind.choices)
    code = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "motifs et résultats (agrégat)"
        # Dashboards read one department (or "*") over a range of days: this index finds
        # those rows without scanning the other departments' rows of the same days.
        indexes = [
            models.Index(fields=["department", "span", "day"], name="ind_reason_dept"),
            models.Index(fields=["span", "day"], name="ind_reason_span_day"),
        ]

    def __str__(self):
        return f"{self.span} {self.day} {self.kind}:{self.code}"


class ReferralDelayFact(models.Model):
    """Histogram of delays in business days (sent → received, sent → accepted) per receiver.

    A histogram, not an average: medians and 90th percentiles are exact when read from it.
    """

    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    receiver = models.ForeignKey(
        ORGANISATION,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    department = models.CharField(max_length=3, blank=True)
    measure = models.CharField(max_length=10, choices=DelayMeasure.choices)
    business_days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "délais (agrégat)"
        # Dashboards read one department (or "*") over a range of days: this index finds
        # those rows without scanning the other departments' rows of the same days.
        indexes = [
            models.Index(fields=["department", "span", "day"], name="ind_delay_dept"),
            models.Index(fields=["span", "day"], name="ind_delay_span_day"),
        ]

    def __str__(self):
        return f"{self.span} {self.day} {self.measure} {self.business_days}"


class RollupState(models.Model):
    """One row: when the roll-ups were last rebuilt (shown on the dashboards), and a lock."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuilt_from = models.DateField(null=True, blank=True)
    rebuilt_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "état des agrégats"

    def __str__(self):
        return f"Agrégats reconstruits le {self.rebuilt_at}"


class BusinessDay(models.Model):
    """A calendar: `ordinal` counts the business days up to this day (French holidays).

    The business days between two days are the difference of their ordinals, which lets the
    database compute delays in business days by itself when it rebuilds the roll-ups.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()

    class Meta:
        verbose_name = "jour du calendrier ouvré"

    def __str__(self):
        return f"{self.day}: {self.ordinal}"
