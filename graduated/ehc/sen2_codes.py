"""The code lists of the DfE's person-level SEN2 return (2023 onwards), in one place.

Item names follow the return's modules: 1 person, 2 requests, 3 EHC needs assessments, 4a named
plan, 4b plan detail, 5a active plans, 5b placement detail, 5c SEN need. The DfE revises the
return each year: before an LA submits, check these lists against that year's technical
specification (docs/decisions/0007-sen2-person-level.md says which we follow and how to change
them). Nothing else in the code spells a SEN2 code.
"""

from django.db import models


class RequestOutcome(models.TextChoices):
    """Item 2.x: what became of a request for an EHC needs assessment, as at the reference date."""

    ASSESS = "A", "Decided to assess"
    NOT_ASSESS = "N", "Decided not to assess"
    WITHDRAWN = "W", "Withdrawn or ceased before the decision"
    PENDING = "P", "Decision pending"


class AssessmentOutcome(models.TextChoices):
    """Item 3.x: the outcome of an assessment (the decision whether to issue a plan)."""

    ISSUE = "Y", "Decided to issue a plan"
    NOT_ISSUE = "N", "Decided not to issue a plan"
    WITHDRAWN = "W", "Withdrawn or ceased before the decision"
    PENDING = "P", "Decision pending"


class CeaseReason(models.IntegerChoices):
    """Item 4.6: why an EHC plan ceased."""

    MAXIMUM_AGE = 1, "Reached the maximum age"
    NEEDS_MET = 2, "Ongoing education or training needs met without an EHC plan"
    HIGHER_EDUCATION = 3, "Moved on to higher education"
    EMPLOYED = 4, "Moved on to paid employment, excluding apprenticeships"
    TRANSFERRED_OUT = 5, "Transferred to another local authority in England"
    NO_ENGAGEMENT = 6, "Young person no longer wishes to engage in education or training"
    LEFT_ENGLAND = 7, "Moved outside England"
    DECEASED = 8, "Deceased"
    OTHER = 9, "Other"


class SENSetting(models.TextChoices):
    """Items 4.7c, 5.7c: the kind of placement when it has no URN or UKPRN."""

    OTHER_LA_ARRANGEMENTS = "OLA", "Other arrangements made by the LA (section 61, including EOTAS)"
    OTHER_PARENT_ARRANGEMENTS = "OPA", "Other arrangements made by the parents or young person (not home education)"
    ELECTIVE_HOME_EDUCATION = "EHE", "Elective home education"
    EARLY_YEARS_PROVIDER = "EYP", "Early years provider with no URN"
    OTHER = "OTH", "Other (a type of setting named, but no setting)"
    NEET = "NEET", "Not in education, employment or training (aged 16 to 25)"
    NOT_IN_EDUCATION_CEASING = "NIEC", "Not in education or training: notice to cease issued"
    NOT_IN_EDUCATION_OTHER = "NIEO", "Not in education or training: other"


#: Item 5.8a: the SEN types the return takes. NSA ("no specialist assessment") is a school census
#: code for SEN support only; a plan's needs are assessed, so it is not one of them.
SEN2_NEED_TYPES = frozenset({"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH"})
