"""Census codes for SEN provision and SEN type (DfE school census), and the broad areas of need."""

from django.db import models


class SENProvision(models.TextChoices):
    """Census SEN provision. S, A and P predate 2014: accepted from imports, never created."""

    NO_SEN = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "EHC plan"
    LEGACY_STATEMENT = "S", "Statement (before 2014)"
    LEGACY_ACTION_PLUS = "P", "School Action Plus (before 2014)"
    LEGACY_ACTION = "A", "School Action (before 2014)"

    @classmethod
    def current_codes(cls) -> list["SENProvision"]:
        return [cls.NO_SEN, cls.SEN_SUPPORT, cls.EHC_PLAN]


ON_REGISTER = [SENProvision.SEN_SUPPORT.value, SENProvision.EHC_PLAN.value]


class BroadArea(models.TextChoices):
    COMMUNICATION_INTERACTION = "CI", "Communication and interaction"
    COGNITION_LEARNING = "CL", "Cognition and learning"
    SEMH = "SEMH", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "SP", "Sensory and/or physical"


class SENType(models.TextChoices):
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    DS = "DS", "Down syndrome"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    ASD = "ASD", "Autistic spectrum disorder"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


BROAD_AREA_OF_TYPE: dict[str, BroadArea | None] = {
    SENType.SPLD: BroadArea.COGNITION_LEARNING,
    SENType.MLD: BroadArea.COGNITION_LEARNING,
    SENType.SLD: BroadArea.COGNITION_LEARNING,
    SENType.PMLD: BroadArea.COGNITION_LEARNING,
    SENType.DS: BroadArea.COGNITION_LEARNING,
    SENType.SEMH: BroadArea.SEMH,
    SENType.SLCN: BroadArea.COMMUNICATION_INTERACTION,
    SENType.ASD: BroadArea.COMMUNICATION_INTERACTION,
    SENType.HI: BroadArea.SENSORY_PHYSICAL,
    SENType.VI: BroadArea.SENSORY_PHYSICAL,
    SENType.MSI: BroadArea.SENSORY_PHYSICAL,
    SENType.PD: BroadArea.SENSORY_PHYSICAL,
    SENType.OTH: None,
    SENType.NSA: None,
}


def types_in_area(area: str) -> list[str]:
    return [code for code, broad in BROAD_AREA_OF_TYPE.items() if broad == area]


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
