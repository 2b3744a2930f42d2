"""What the API returns and accepts: pydantic schemas, published in the OpenAPI document."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What went wrong, written for the person who asked.")
    field: str | None = Field(None, description="The parameter or field at fault, when there is one.")


class Status(Schema):
    status: str = Field(description="K (SEN support), E (EHC plan) or N (no SEN)")
    start_date: date
    end_date: date | None
    reason: str


class NeedOut(Schema):
    id: int
    sen_type: str
    rank: int
    start_date: date
    end_date: date | None


class PupilSummary(Schema):
    id: int
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: date
    upn: str | None
    current_status: str | None
    current_status_since: date | None
    current_needs: list[str] = Field(description="SEN type codes, by rank")


class PupilPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PupilSummary]


class PupilDetail(Schema):
    id: int
    version: int = Field(description="Send it back with a change: a stale version is refused with 409.")
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: date
    sex: str
    upn: str | None
    year_group: int
    current_status: Status | None
    current_needs: list[NeedOut]


class OutcomeOut(Schema):
    id: int
    position: int
    description: str
    measure: str
    baseline: str
    target: str
    by_when: date
    area: str


class ProvisionOut(Schema):
    id: int
    kind: str
    description: str
    delivered_by_role: str
    location: str
    sessions_per_week: int | None
    minutes_per_session: int | None
    starts_on: date | None
    ends_on: date | None


class CycleOut(Schema):
    id: int
    number: int
    status: str
    started_on: date
    review_date: date | None
    plan_agreed_on: date | None
    outcomes: list[OutcomeOut]
    provisions: list[ProvisionOut]


class AttendeeOut(Schema):
    kind: str
    name: str
    role_or_relationship: str


class ActionOut(Schema):
    description: str
    owner_name: str
    due_on: date
    done_on: date | None


class MeetingOut(Schema):
    id: int
    kind: str
    held_on: date
    discussed: str
    shared_with_parents_on: date | None
    attendees: list[AttendeeOut]
    actions: list[ActionOut]


class CaseOut(Schema):
    id: int
    pupil_id: int
    received_on: date
    stage: str
    requested_by: str
    requesting_setting_id: int | None
    to_assess: bool | None
    assessment_decided_on: date | None


class PupilChange(Schema):
    version: int = Field(ge=0, le=2**31 - 1)
    legal_first_name: str | None = Field(None, max_length=100)
    legal_last_name: str | None = Field(None, max_length=100)
    preferred_first_name: str | None = Field(None, max_length=100)
    preferred_last_name: str | None = Field(None, max_length=100)
    date_of_birth: date | None = None
    sex: str | None = Field(None, max_length=1)
    upn: str | None = Field(None, max_length=13)


class PupilIn(Schema):
    legal_first_name: str = Field(max_length=100)
    legal_last_name: str = Field(max_length=100)
    preferred_first_name: str = Field("", max_length=100)
    preferred_last_name: str = Field("", max_length=100)
    date_of_birth: date
    sex: str = Field(max_length=1, description="F, M, or U (not known)")
    upn: str = Field("", max_length=20, description="Empty when the child has none yet")
    start_date: date = Field(description="The day the pupil started at the setting")
    home_local_authority_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Their home LA; empty: the setting's LA"
    )


class NeedIn(Schema):
    sen_type: str = Field(max_length=4)
    rank: int = Field(ge=1, le=99)
    start_date: date


class StatusIn(Schema):
    status: str = Field(max_length=1)
    start_date: date
    reason: str = Field("", max_length=2000)


class DosageOut(Schema):
    sessions_per_week: int
    minutes_per_session: int
    group_size: int


class MapLineOut(Schema):
    provision_id: int
    pupil_id: int
    description: str
    role: str = Field(description="Who delivers it (a role code), or empty when nobody said")
    dosage: DosageOut | None
    starts_on: date
    ends_on: date | None = Field(description="None: still running")
    staff_cost: Decimal = Field(description="Pounds, to the penny, over the period (a string in JSON)")
    resources_cost: Decimal
    total: Decimal
    costed: bool = Field(description="False when the staff time could not be priced; `missing` says why")
    missing: list[str]


class PupilMapOut(Schema):
    pupil_id: int
    period_starts_on: date
    period_ends_on: date
    lines: list[MapLineOut]
    staff_total: Decimal
    resources_total: Decimal
    total: Decimal
    over_element_2: bool = Field(description="The total is above the element 2 threshold (£6,000)")


class MapPupilOut(Schema):
    pupil_id: int
    name: str
    year_group: int
    total: Decimal
    over_element_2: bool


class InterventionOut(Schema):
    label: str
    tier: str
    areas: str
    pupils: int
    provisions: int
    staff_hours: Decimal
    cost: Decimal


class SettingMapOut(Schema):
    setting_id: int
    period_starts_on: date
    period_ends_on: date
    total: Decimal
    staff_hours: Decimal
    budget: Decimal | None
    pupils: list[MapPupilOut]
    interventions: list[InterventionOut]
