"""The LA's view of its settings' self-reviews for one academic year: per expectation, how many
settings met it, partly met it, have not yet, or have not reviewed; per setting, its totals.

Built for an LA of 300 settings in a fixed number of queries, whatever the number of settings or
answers: the settings (one query), each setting's review with its counts (one grouped query), and
the answers counted by expectation and rating (one grouped query). Only complete reviews count
towards the results per expectation; a review in draft is shown as such against its setting.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from graduated.oap.models import Expectation, OAPVersion, Rating, ReviewStatus, SelfReview, SelfReviewAnswer
from graduated.organisations.models import LocalAuthority, Phase, Setting


@dataclass
class ExpectationResult:
    expectation: Expectation
    met: int = 0
    partly: int = 0
    not_yet: int = 0
    not_reviewed: int = 0


@dataclass
class SettingResult:
    setting_id: int
    name: str
    urn: str
    phase: str
    status: str = "Not started"
    met: int = 0
    partly: int = 0
    not_yet: int = 0
    unanswered: int = 0
    ratings: dict[int, str] = field(default_factory=dict)  # expectation id -> rating, for the CSV

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label if self.phase in Phase.values else self.phase


@dataclass
class Results:
    version: OAPVersion | None
    year: int
    expectations: list[ExpectationResult]
    settings: list[SettingResult]

    @property
    def complete(self) -> int:
        return sum(1 for s in self.settings if s.status == ReviewStatus.COMPLETE.label)

    @property
    def in_draft(self) -> int:
        return sum(1 for s in self.settings if s.status == ReviewStatus.DRAFT.label)


def la_results(
    local_authority: LocalAuthority, version: OAPVersion | None, year: int, phase: str = "", with_ratings: bool = False
) -> Results:
    settings_qs = Setting.objects.filter(local_authority=local_authority)
    if phase:
        settings_qs = settings_qs.filter(phase=phase)
    rows = {
        pk: SettingResult(pk, name, urn or "", setting_phase)
        for pk, name, urn, setting_phase in settings_qs.order_by("name", "id").values_list("pk", "name", "urn", "phase")
    }
    expectations = list(version.expectations.all()) if version else []
    reviews = (
        SelfReview.objects.filter(setting__in=settings_qs, academic_year=year)
        .annotate(
            met=Count("answers", filter=Q(answers__rating=Rating.MET)),
            partly=Count("answers", filter=Q(answers__rating=Rating.PARTLY)),
            not_yet=Count("answers", filter=Q(answers__rating=Rating.NOT_YET)),
        )
        .values_list("setting_id", "status", "met", "partly", "not_yet", "oap_version_id")
    )
    for setting_id, status, met, partly, not_yet, version_id in reviews:
        row = rows[setting_id]
        row.status = ReviewStatus(status).label
        row.met, row.partly, row.not_yet = met, partly, not_yet
        if version is not None and version_id == version.pk:
            row.unanswered = len(expectations) - met - partly - not_yet
    by_expectation = {e.pk: ExpectationResult(e) for e in expectations}
    answers = SelfReviewAnswer.objects.filter(
        review__setting__in=settings_qs, review__academic_year=year, review__status=ReviewStatus.COMPLETE,
        expectation__in=list(by_expectation),
    ).exclude(rating="")  # fmt: skip
    for expectation_id, rating, n in answers.values_list("expectation_id", "rating").annotate(n=Count("id")):
        result = by_expectation[expectation_id]
        setattr(result, rating, getattr(result, rating) + n)
    for result in by_expectation.values():
        result.not_reviewed = len(rows) - result.met - result.partly - result.not_yet
    if with_ratings and by_expectation:
        for setting_id, expectation_id, rating in SelfReviewAnswer.objects.filter(
            review__setting__in=settings_qs, review__academic_year=year, expectation__in=list(by_expectation)
        ).values_list("review__setting_id", "expectation_id", "rating"):
            rows[setting_id].ratings[expectation_id] = rating
    return Results(version, year, list(by_expectation.values()), list(rows.values()))
