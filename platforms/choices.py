"""The words of the catalog, declared once: customer tiers, price units, resource kinds,
closure kinds, billing bases and the catalog's categories, each with its labels.

Tables, the catalog file, schemas (OpenAPI shows the enums), pages and e-mails import
these; a tier, unit or kind written as a string literal elsewhere is a bug waiting.
Labels are msgids (``N_``) translated where they are shown, in the viewer's language.
"""

from __future__ import annotations

from enum import StrEnum

from i18n import gettext
from i18n.translations import N_


class _Labelled(StrEnum):
    """A code with a label: ``_LABELS`` maps each subclass's members to their msgids."""

    @property
    def label(self) -> str:
        return gettext(_LABELS[type(self)][self])

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def msgids(cls) -> dict[str, str]:
        """Each code's untranslated label, for templates that translate with ``_()``."""
        return {member.value: _LABELS[cls][member] for member in cls}

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """The label of a stored code; a code the vocabulary lacks is shown as is."""
        if not code:
            return ""
        try:
            return cls(code).label
        except ValueError:
            return code


class Tier(_Labelled):
    """Who the booking enterprise is, which decides its price."""

    PARK = "park"
    EXTERNAL = "external"
    ACADEMIC = "academic"


class Unit(_Labelled):
    """What one price is for."""

    HOUR = "hour"
    HALF_DAY = "half_day"
    SAMPLE = "sample"
    WAFER = "wafer"
    SEAT_DAY = "seat_day"
    MM2 = "mm2"
    PERSON_DAY = "person_day"
    PROJECT = "project"

    @property
    def minutes(self) -> int | None:
        """The booked minutes one price covers; None for a unit counted, not timed
        (samples, wafers, mm² of die area, person-days of work, projects)."""
        return _UNIT_MINUTES.get(self)

    @property
    def timed(self) -> bool:
        return self in _UNIT_MINUTES


class ResourceKind(_Labelled):
    INSTRUMENT = "instrument"  # one user at a time, in time slots
    POOL = "pool"  # N concurrent units, each booking takes some
    SERVICE = "service"  # ordered, not slotted

    @property
    def slotted(self) -> bool:
        return self is not ResourceKind.SERVICE


# For the filters that leave services out; its codes are ResourceKind's, so each is
# still written once.
class SlottedKind(StrEnum):
    """The resource kinds booked in time slots: instruments and pools, not services."""

    INSTRUMENT = ResourceKind.INSTRUMENT.value
    POOL = ResourceKind.POOL.value


class ClosureKind(_Labelled):
    MAINTENANCE = "maintenance"
    HOLIDAY = "holiday"


class BillingBasis(_Labelled):
    ACTUAL = "actual"  # check-in to check-out
    BOOKED = "booked"  # the booked interval, whatever is used


class Category(_Labelled):
    """The catalog's instrument and service types (``Resource.category``)."""

    AGV_TEST_FIELD = "agv-test-field"
    ANTIBODY = "antibody"
    BIOSAFETY_CABINET = "biosafety-cabinet"
    BONDING = "bonding"
    CHROMATOGRAPHY = "chromatography"
    CLEANROOM = "cleanroom"
    CONSULTING = "consulting"
    CYTOMETRY = "cytometry"
    DEPOSITION = "deposition"
    DEVICE_FARM = "device-farm"
    DIGITAL_TWIN = "digital-twin"
    DRUG_ANALYSIS = "drug-analysis"
    DRUG_DELIVERY = "drug-delivery"
    EDA_LICENCE = "eda-licence"
    ETCHING = "etching"
    EVALUATION = "evaluation"
    FOUNDRY = "foundry"
    LITHOGRAPHY = "lithography"
    MASS_SPECTROMETRY = "mass-spectrometry"
    MATCHING = "matching"
    METROLOGY = "metrology"
    MICROSCOPY = "microscopy"
    MPW = "mpw"
    NMR = "nmr"
    PCR = "pcr"
    PERFORMANCE_LAB = "performance-lab"
    PHYSICAL_DESIGN = "physical-design"
    POLICY = "policy"
    PROBE_STATION = "probe-station"
    PROCESS_DEVELOPMENT = "process-development"
    ROBOT_CELL = "robot-cell"
    SCREENING = "screening"
    SECURITY_TEST = "security-test"
    SUPERVISION = "supervision"
    TEST_ENVIRONMENT = "test-environment"
    TEST_STATION = "test-station"
    TESTING = "testing"
    TRAINING = "training"
    VISION_BENCH = "vision-bench"


_UNIT_MINUTES: dict[Unit, int] = {Unit.HOUR: 60, Unit.HALF_DAY: 240, Unit.SEAT_DAY: 1440}

_LABELS: dict[type[_Labelled], dict] = {
    Tier: {
        Tier.PARK: N_("Park enterprise"),
        Tier.EXTERNAL: N_("External enterprise"),
        Tier.ACADEMIC: N_("University or institute"),
    },
    Unit: {
        Unit.HOUR: N_("per hour"),
        Unit.HALF_DAY: N_("per half day"),
        Unit.SAMPLE: N_("per sample"),
        Unit.WAFER: N_("per wafer"),
        Unit.SEAT_DAY: N_("per seat-day"),
        Unit.MM2: N_("per mm²"),
        Unit.PERSON_DAY: N_("per person-day"),
        Unit.PROJECT: N_("per project"),
    },
    ResourceKind: {
        ResourceKind.INSTRUMENT: N_("Instrument"),
        ResourceKind.POOL: N_("Capacity pool"),
        ResourceKind.SERVICE: N_("Service"),
    },
    ClosureKind: {
        ClosureKind.MAINTENANCE: N_("Maintenance"),
        ClosureKind.HOLIDAY: N_("Holiday"),
    },
    BillingBasis: {
        BillingBasis.ACTUAL: N_("Time used"),
        BillingBasis.BOOKED: N_("Time booked"),
    },
    Category: {
        Category.AGV_TEST_FIELD: N_("AGV test field"),
        Category.ANTIBODY: N_("Antibody services"),
        Category.BIOSAFETY_CABINET: N_("Biosafety cabinets"),
        Category.BONDING: N_("Wafer bonding"),
        Category.CHROMATOGRAPHY: N_("Chromatography"),
        Category.CLEANROOM: N_("Cleanroom"),
        Category.CONSULTING: N_("Consulting"),
        Category.CYTOMETRY: N_("Flow cytometry"),
        Category.DEPOSITION: N_("Deposition"),
        Category.DEVICE_FARM: N_("Device farm"),
        Category.DIGITAL_TWIN: N_("Digital twin"),
        Category.DRUG_ANALYSIS: N_("Drug analysis"),
        Category.DRUG_DELIVERY: N_("Drug delivery"),
        Category.EDA_LICENCE: N_("EDA licences"),
        Category.ETCHING: N_("Etching"),
        Category.EVALUATION: N_("Evaluation and testing"),
        Category.FOUNDRY: N_("Foundry service"),
        Category.LITHOGRAPHY: N_("Lithography"),
        Category.MASS_SPECTROMETRY: N_("Mass spectrometry"),
        Category.MATCHING: N_("Demand matching"),
        Category.METROLOGY: N_("Metrology"),
        Category.MICROSCOPY: N_("Microscopy"),
        Category.MPW: N_("MPW shuttle"),
        Category.NMR: N_("NMR"),
        Category.PCR: N_("PCR"),
        Category.PERFORMANCE_LAB: N_("Performance lab"),
        Category.PHYSICAL_DESIGN: N_("Physical design"),
        Category.POLICY: N_("Policy push"),
        Category.PROBE_STATION: N_("Probe stations"),
        Category.PROCESS_DEVELOPMENT: N_("Process development"),
        Category.ROBOT_CELL: N_("Robot cells"),
        Category.SCREENING: N_("Provider screening"),
        Category.SECURITY_TEST: N_("Security testing"),
        Category.SUPERVISION: N_("IT supervision"),
        Category.TEST_ENVIRONMENT: N_("Test environments"),
        Category.TEST_STATION: N_("Test stations"),
        Category.TESTING: N_("Testing services"),
        Category.TRAINING: N_("Training"),
        Category.VISION_BENCH: N_("Machine vision bench"),
    },
}
