"""Words for codes: statuses, kinds, categories, units, and a resource's rules in plain words.

Msgids are marked with ``N_`` and translated where they are shown, in the viewer's language.
"""

from __future__ import annotations

from i18n import gettext, ngettext
from i18n.translations import N_

STATUS = {
    "pending": N_("Pending approval"),
    "confirmed": N_("Confirmed"),
    "in_use": N_("Checked in"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "rejected": N_("Rejected"),
    "expired": N_("Expired"),
    "no_show": N_("No-show"),
}

KIND = {
    "instrument": N_("Instrument"),
    "pool": N_("Capacity pool"),
    "service": N_("Service"),
}

TIER = {
    "park": N_("Park enterprise"),
    "external": N_("External enterprise"),
    "academic": N_("University or institute"),
}

ROLE = {
    "engineer": N_("Engineer"),
    "enterprise_admin": N_("Enterprise admin"),
    "operator": N_("Platform operator"),
    "park_admin": N_("Park administrator"),
}

UNIT = {
    "hour": N_("per hour"),
    "half_day": N_("per half day"),
    "sample": N_("per sample"),
    "wafer": N_("per wafer"),
    "seat_day": N_("per seat-day"),
    "mm2": N_("per mm²"),
    "person_day": N_("per person-day"),
    "project": N_("per project"),
}

WAITLIST = {
    "waiting": N_("Waiting"),
    "promoted": N_("Got the slot"),
    "cancelled": N_("Left the waitlist"),
    "lapsed": N_("Lapsed"),
}

CATEGORY = {
    "agv-test-field": N_("AGV test field"),
    "antibody": N_("Antibody services"),
    "biosafety-cabinet": N_("Biosafety cabinets"),
    "bonding": N_("Wafer bonding"),
    "chromatography": N_("Chromatography"),
    "cleanroom": N_("Cleanroom"),
    "consulting": N_("Consulting"),
    "cytometry": N_("Flow cytometry"),
    "deposition": N_("Deposition"),
    "device-farm": N_("Device farm"),
    "digital-twin": N_("Digital twin"),
    "drug-analysis": N_("Drug analysis"),
    "drug-delivery": N_("Drug delivery"),
    "eda-licence": N_("EDA licences"),
    "etching": N_("Etching"),
    "evaluation": N_("Evaluation and testing"),
    "foundry": N_("Foundry service"),
    "lithography": N_("Lithography"),
    "mass-spectrometry": N_("Mass spectrometry"),
    "matching": N_("Demand matching"),
    "metrology": N_("Metrology"),
    "microscopy": N_("Microscopy"),
    "mpw": N_("MPW shuttle"),
    "nmr": N_("NMR"),
    "pcr": N_("PCR"),
    "performance-lab": N_("Performance lab"),
    "physical-design": N_("Physical design"),
    "policy": N_("Policy push"),
    "probe-station": N_("Probe stations"),
    "process-development": N_("Process development"),
    "robot-cell": N_("Robot cells"),
    "screening": N_("Provider screening"),
    "security-test": N_("Security testing"),
    "supervision": N_("IT supervision"),
    "test-environment": N_("Test environments"),
    "test-station": N_("Test stations"),
    "testing": N_("Testing services"),
    "training": N_("Training"),
    "vision-bench": N_("Machine vision bench"),
}


def label(table: dict[str, str], code: str | None) -> str:
    """The translated label of ``code``, or the code itself when it has none."""
    if not code:
        return ""
    message = table.get(code)
    return gettext(message) if message else code


def _minutes_text(minutes: int) -> str:
    if minutes and minutes % 1440 == 0:
        return ngettext("%(num)s day", "%(num)s days", minutes // 1440)
    if minutes and minutes % 60 == 0:
        return ngettext("%(num)s hour", "%(num)s hours", minutes // 60)
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


def rules_in_words(row: dict) -> list[str]:
    """A slotted resource's booking policy as sentences in the viewer's language."""
    if row["kind"] == "service":
        return [gettext("This is a service: it is ordered, not booked in time slots.")]
    lines = [
        gettext("Bookings start and end in steps of %(step)s and last from %(min)s to %(max)s.",
                step=_minutes_text(row["slot_minutes"]),
                min=_minutes_text(row["min_duration_minutes"]),
                max=_minutes_text(row["max_duration_minutes"])),
    ]
    if row["min_notice_minutes"]:
        lines.append(gettext("Book at least %(notice)s ahead, and at most %(days)s days ahead.",
                             notice=_minutes_text(row["min_notice_minutes"]),
                             days=row["max_advance_days"]))
    else:
        lines.append(gettext("Book up to %(days)s days ahead.", days=row["max_advance_days"]))
    if row["buffer_minutes"]:
        lines.append(gettext("%(buffer)s are kept free between bookings for changeover.",
                             buffer=_minutes_text(row["buffer_minutes"])))
    if row["approval_required"]:
        lines.append(gettext("An operator approves each booking; until then it is pending."))
    cancel = gettext("Cancel free of charge up to %(hours)s hours before the start.",
                     hours=row["cancel_cutoff_hours"])
    if row["late_cancel_percent"]:
        cancel += " " + gettext("Later cancellations are charged %(percent)s%% of the cost.",
                                percent=row["late_cancel_percent"])
    lines.append(cancel)
    if row["no_show_percent"]:
        lines.append(gettext("Not checking in within %(grace)s counts as a no-show, charged "
                             "%(percent)s%% of the cost.",
                             grace=_minutes_text(row["no_show_grace_minutes"]),
                             percent=row["no_show_percent"]))
    if row.get("quota_hours_per_week"):
        lines.append(gettext("Each enterprise may book at most %(hours)s hours a week.",
                             hours=row["quota_hours_per_week"]))
    if row.get("billing_basis") == "booked":
        lines.append(gettext("The booked time is billed, whatever is used."))
    else:
        lines.append(gettext("The time actually used (check-in to check-out) is billed."))
    return lines
