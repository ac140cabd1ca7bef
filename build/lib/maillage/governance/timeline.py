"""The partnership's timeline, read from data: conventions, amendments, parties, operators."""

from dataclasses import dataclass
from datetime import date

from maillage.governance.enums import AmendmentKind, PartyChangeKind
from maillage.governance.models import ConventionAmendment, ConventionPartyChange
from maillage.governance.services.conventions import convention_effective_end
from maillage.partners.models import Convention, Organisation


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    kind: str  # convention, amendment, party, operator
    title: str
    text: str = ""


def partnership_timeline():
    events = []
    for convention in Convention.objects.prefetch_related("parties__organisation"):
        signatories = [
            p.organisation.name for p in convention.parties.all() if p.role == "signatory"
        ]
        events.append(
            TimelineEvent(
                convention.signed_on,
                "convention",
                f"Signature de la « {convention.title} »",
                f"{len(signatories)} signataires : {', '.join(signatories)}."
                + (f" Signée à : {convention.signed_at}." if convention.signed_at else ""),
            )
        )
        end = convention_effective_end(convention)
        if end:
            extended = end != convention.valid_until
            events.append(
                TimelineEvent(
                    end,
                    "convention",
                    f"Fin de la « {convention.title} »",
                    "Fin de validité après reconduction."
                    if extended
                    else "Fin de la période transitoire prévue par la convention.",
                )
            )
    for amendment in ConventionAmendment.objects.select_related("convention"):
        label = "Reconduction" if amendment.kind == AmendmentKind.RENEWAL else "Avenant"
        text = amendment.summary
        if amendment.new_valid_until:
            text = (
                f"{text} Nouvelle fin de validité : {amendment.new_valid_until:%d/%m/%Y}.".strip()
            )
        events.append(
            TimelineEvent(
                amendment.effective_on,
                "amendment",
                f"{label} n° {amendment.number} : {amendment.title}",
                text,
            )
        )
    for change in ConventionPartyChange.objects.select_related("organisation", "convention"):
        verb = "rejoint" if change.kind == PartyChangeKind.JOINED else "quitte"
        events.append(
            TimelineEvent(
                change.on, "party", f"{change.organisation.name} {verb} la convention", change.note
            )
        )
    organisations = Organisation.objects.filter(
        active_from__isnull=False
    ) | Organisation.objects.filter(active_until__isnull=False)
    for organisation in organisations.distinct():
        if organisation.active_from:
            events.append(
                TimelineEvent(
                    organisation.active_from,
                    "operator",
                    f"Début d'activité : {organisation.name}",
                    organisation.public_summary,
                )
            )
        if organisation.active_until:
            events.append(
                TimelineEvent(
                    organisation.active_until,
                    "operator",
                    f"Fin d'activité : {organisation.name}",
                    organisation.history or organisation.public_summary,
                )
            )
    order = {"convention": 0, "amendment": 1, "party": 2, "operator": 3}
    return sorted(events, key=lambda e: (e.on, order[e.kind], e.title))
