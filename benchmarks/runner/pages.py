"""The pages measured: every page that lists or shows pupil data at the sample school, and every
LA page and export, with who opens it and its budget (docs/design.md, "Performance budgets")."""

from dataclasses import dataclass

SCHOOL_BUDGET_MS = 50.0  # school pages, p95, on SQLite at LA scale
LA_BUDGET_MS = 300.0  # LA-wide pages and exports (and a school's own exports), p95
BUNDLE_BUDGET_MS = 100.0  # a stored evidence bundle's download, p95


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {placeholders} from the manifest
    who: str  # a key of the manifest's "users"
    kind: str  # "school" or "la"
    budget_ms: float
    throughput: bool = False  # among the school pages loaded at 1 and 8 connections

    def url(self, manifest: dict[str, object]) -> str | None:
        """The path with the manifest's ids, or None when the manifest has no such record."""
        try:
            values = {key: manifest[key] for key in _placeholders(self.path)}
        except KeyError:
            return None
        if any(value is None for value in values.values()):
            return None
        return self.path.format(**values)


def _placeholders(path: str) -> list[str]:
    return [part.split("}", 1)[0] for part in path.split("{")[1:]]


def _school(name: str, path: str, *, budget: float = SCHOOL_BUDGET_MS, throughput: bool = False) -> Page:
    return Page(name, path, "senco", "school", budget, throughput)


def _la(name: str, path: str, who: str = "la_officer") -> Page:
    return Page(name, path, who, "la", LA_BUDGET_MS)


PAGES = [
    # The school's pages, signed in as its SENCO. The first six are the design's named school pages.
    _school("Pupil page", "/pupils/{pupil_id}/", throughput=True),
    _school("Cycle page", "/pupils/{pupil_id}/cycles/{cycle_id}/", throughput=True),
    _school("Caseload", "/worklists/settings/{setting_id}/caseload/", throughput=True),
    _school("SEN register", "/pupils/settings/{setting_id}/register/", throughput=True),
    _school("Provision map", "/provision/setting/{setting_id}/provision-map/", throughput=True),
    _school("Concerns list", "/pathway/settings/{setting_id}/concerns/", throughput=True),
    _school("Pupil's cycles", "/pupils/{pupil_id}/cycles/"),
    _school("Chronology", "/pupils/{pupil_id}/chronology/"),
    _school("Who viewed the record", "/pupils/{pupil_id}/audit/"),
    _school("Pupil's meetings", "/pupils/{pupil_id}/meetings/"),
    _school("Meeting record", "/pupils/{pupil_id}/meetings/{meeting_id}/"),
    _school("Pupil's costed provision map", "/provision/pupils/{pupil_id}/provision-map/"),
    _school("Pupil's profile", "/pupils/{pupil_id}/profile/"),
    _school("Pupil's EHC request", "/pupils/{pupil_id}/ehc-request/"),
    _school("Setting's meetings", "/meetings/settings/{setting_id}/"),
    _school("Intervention groups", "/provision/setting/{setting_id}/groups/"),
    _school("Group", "/provision/groups/{group_id}/"),
    _school("Group impact", "/provision/groups/{group_id}/impact/"),
    _school("Setting impact", "/provision/setting/{setting_id}/impact/"),
    _school("Timetable", "/provision/setting/{setting_id}/timetable/"),
    _school("My Support Plans due", "/statutory/settings/{setting_id}/my-support-plans/"),
    _school("Referrals", "/specialists/settings/{setting_id}/referrals/"),
    _school("Census check", "/records/settings/{setting_id}/census/"),
    _school("Funding", "/funding/settings/{setting_id}/"),
    _school("SEN register CSV", "/pupils/settings/{setting_id}/register.csv", budget=LA_BUDGET_MS),
    # A sent request's evidence bundle, made in the background when it was sent: served from storage.
    _school(
        "Evidence bundle PDF",
        "/pupils/{bundle_pupil_id}/ehc-request/{bundle_request_id}/bundle.pdf",
        budget=BUNDLE_BUDGET_MS,
    ),
    # The LA's pages and exports, signed in as its officer (people and security: its admin).
    _la("LA overview", "/organisations/la/{la_id}/"),
    _la("LA impact", "/provision/la/{la_id}/impact/"),
    _la("EHC inbox", "/ehc/la/{la_id}/inbox/"),
    _la("EHC case", "/ehc/la/{la_id}/cases/{ehc_case_id}/"),
    _la("EHC timeliness", "/ehc/la/{la_id}/timeliness/"),
    _la("EHC reviews due", "/ehc/la/{la_id}/reviews/"),
    _la("SEN2 CSV", "/ehc/la/{la_id}/sen2.csv"),
    _la("SEN2 check", "/ehc/la/{la_id}/sen2/"),
    _la("SEN2 return XML", "/ehc/la/{la_id}/sen2/return.xml"),
    _la("SEN2 return CSV files", "/ehc/la/{la_id}/sen2/return-csv.zip"),
    _la("SEN dashboard", "/oversight/la/{la_id}/"),
    _la("SEN dashboard spreadsheet", "/oversight/la/{la_id}/sen-dashboard.xlsx"),
    _la("Setting's SEN figures", "/oversight/setting/{setting_id}/"),
    _la("Setting's SEN figures spreadsheet", "/oversight/setting/{setting_id}/sen-figures.xlsx"),
    _la("Refusal letter PDF", "/ehc/la/{la_id}/cases/{refused_case_id}/letter.pdf"),
    _la("LA catalogue", "/provision/la/{la_id}/catalogue/"),
    _la("LA services directory", "/specialists/la/{la_id}/services/"),
    _la("Local rules", "/rules/la/{la_id}/"),
    _la("Pathway stages", "/rules/la/{la_id}/stages/", "la_admin"),
    _la("LA people", "/organisations/la/{la_id}/people/", "la_admin"),
    _la("LA security events", "/security/la/{la_id}/events/", "la_admin"),
    _la("Tier names", "/provision/la/{la_id}/tiers/", "la_admin"),
    _la("Term dates", "/provision/la/{la_id}/term-dates/", "la_admin"),
]


def unmeasured_la_routes() -> list[str]:
    """The URL patterns about a whole LA (``<int:la_id>`` and nothing narrower) that no page here
    measures: a page added since this list was written shows up in the results, to be added."""
    from django.urls import URLPattern, URLResolver, get_resolver

    measured = {page.path.replace("{la_id}", "<int:la_id>") for page in PAGES}
    found = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif "<int:la_id>" in route and route.count("<") == 1 and "/" + route not in measured:
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(found)
