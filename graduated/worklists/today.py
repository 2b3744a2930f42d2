"""Each person's home page: their work today, one section per role and place.

* A SENCO, for each setting they lead: new concerns, reviews overdue and due this week, plans staff
  have not yet read, pupils short of parent meetings, overdue actions (the caseload's selectors,
  ``caseload.py``): each a count, a link to the list and its first few items.
* A teacher or teaching assistant, for each setting: how many pupils they are linked to (a link to
  "My pupils") and the intervention groups they deliver that meet today, each with its register.
* An LA officer or admin, for each LA: the open EHC cases assigned to them, nearest deadline first,
  and the inbox; an LA admin also the LA's configuration pages.

Only pupils the person may open are shown (``access.visible_pupils_filter``), and each one shown is
noted as reached (``graduated.audit.reach``), so the page writes its VIEW event for them as every
page that shows a pupil does. A fixed number of queries per section, whatever the history.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from graduated import access
from graduated.access import OrganisationPermission
from graduated.accounts.models import User
from graduated.audit.reach import note_pupil_reached
from graduated.audit.services import Actor
from graduated.ehc.selectors import InboxFilter, inbox
from graduated.meetings.selectors import overdue_actions_in_setting, short_of_parent_meetings
from graduated.organisations.models import LocalAuthority, Role, Setting
from graduated.pathway.selectors import setting_concerns
from graduated.provision.group_selectors import groups_of
from graduated.pupils.models import Pupil, StaffLink
from graduated.worklists.caseload import reviews_due, unacknowledged_plans

FIRST_FEW = 3  # items shown of each list; the list's own page has the rest
THIS_WEEK = timedelta(days=7)
LEADS = (Role.SENCO, Role.SENIOR_LEADER)  # both hold the caseload (VIEW_REGISTER)
DELIVERS = (Role.TEACHER, Role.TEACHING_ASSISTANT)


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorkList:
    """One list on the page: how many, where the whole list is, and its first few."""

    title: str
    count: int
    url: str
    items: list[Item]


@dataclass
class Section:
    kind: str  # "senco", "staff", "la"
    heading: str
    lists: list[WorkList] = field(default_factory=list)
    links: list[Item] = field(default_factory=list)
    empty: str = ""

    @property
    def has_work(self) -> bool:
        return any(work.count for work in self.lists)


def _pupil_item(pupil: Pupil, detail: str, url: str = "") -> Item:
    return Item(pupil.display_name, url or reverse("pupils:detail", args=[pupil.pk]), detail)


class _Shown:
    """The pupils a section may show (those ``user`` may open), noted as reached when shown."""

    def __init__(self, user: User, actor: Actor, candidates: Iterable[int]) -> None:
        ids = set(candidates)
        self.visible = set(access.visible_pupils(user).filter(pk__in=ids).values_list("pk", flat=True) if ids else [])
        self.actor = actor

    def keep(self, pupil_id: int) -> bool:
        return pupil_id in self.visible

    def first(self, items: list[tuple[int, Item]]) -> list[Item]:
        shown = [item for pupil_id, item in items if self.keep(pupil_id)][:FIRST_FEW]
        for pupil_id, _ in [pair for pair in items if self.keep(pair[0])][:FIRST_FEW]:
            note_pupil_reached(self.actor, pupil_id)
        return shown


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def senco_section(user: User, setting: Setting, on: date) -> Section:
    """What the SENCO of ``setting`` has to do: 8 queries whatever the setting's size."""
    caseload = reverse("worklists:caseload", args=[setting.pk])
    concerns = setting_concerns(setting, on)["open_concerns"]
    soon, overdue = reviews_due(setting, on)
    this_week = [cycle for cycle in soon if cycle.review_date and cycle.review_date <= on + THIS_WEEK]
    unread = unacknowledged_plans(setting, on)
    short = short_of_parent_meetings(Pupil.objects.enrolled_in(setting, on), on)
    actions = list(overdue_actions_in_setting(setting, on))
    candidates = [
        *(c.pupil_id for c in concerns), *(c.pupil_id for c in overdue), *(c.pupil_id for c in this_week),
        *(u.cycle.pupil_id for u in unread), *(s.pupil.pk for s in short), *(a.meeting.pupil_id for a in actions),
    ]  # fmt: skip
    shown = _Shown(user, access.actor_in(user, setting), candidates)

    def work(title: str, url: str, pairs: list[tuple[int, Item]]) -> WorkList:
        return WorkList(title, sum(1 for pupil_id, _ in pairs if shown.keep(pupil_id)), url, shown.first(pairs))

    def cycle_item(cycle: object, detail: str) -> tuple[int, Item]:
        pupil = cycle.pupil  # type: ignore[attr-defined]
        url = reverse("support:cycle", args=[pupil.pk, cycle.pk])  # type: ignore[attr-defined]
        return pupil.pk, _pupil_item(pupil, detail, url)

    lists = [
        work(
            "New concerns waiting for a decision", reverse("pathway:setting_concerns", args=[setting.pk]),
            [(c.pupil_id, _pupil_item(c.pupil, f"raised {_day(c.raised_on)}",
                                      reverse("pathway:concern", args=[c.pupil_id, c.pk]))) for c in concerns],
        ),
        work("Reviews overdue", f"{caseload}#overdue-reviews",
             [cycle_item(c, f"review was due {_day(c.review_date)}") for c in overdue if c.review_date]),
        work("Reviews due this week", f"{caseload}#reviews-soon",
             [cycle_item(c, f"review due {_day(c.review_date)}") for c in this_week if c.review_date]),
        work("Plans staff have not yet read", f"{caseload}#unread",
             [cycle_item(u.cycle, "not yet read by " + ", ".join(u.staff)) for u in unread]),
        work("Pupils short of parent meetings", f"{caseload}#parent-meetings",
             [(s.pupil.pk, _pupil_item(s.pupil, f"{s.count} of 3 parent meetings this school year")) for s in short]),
        work("Actions overdue", f"{caseload}#actions",
             [(a.meeting.pupil_id, _pupil_item(a.meeting.pupil, f"{a.description[:80]}, due {_day(a.due_on)}",
                                               reverse("meetings:detail", args=[a.meeting.pupil_id, a.meeting_id])))
              for a in actions]),
    ]  # fmt: skip
    return Section(
        "senco", f"Caseload: {setting.name}", lists, links=[
            Item("The whole caseload", caseload),
            Item("The local authority's ordinarily available provision", reverse("oap:setting", args=[setting.pk])),
            Item("This year's self-review", reverse("oap:self_review", args=[setting.pk])),
            Item("Staff training", reverse("training:staff", args=[setting.pk])),
        ],
        empty="Nothing is waiting for you here today.",
    )  # fmt: skip


def staff_section(user: User, setting: Setting, on: date) -> Section:
    """A teacher's or TA's pupils and today's sessions: 4 queries."""
    pupils = (
        access.visible_pupils(user)
        .filter(pk__in=StaffLink.objects.filter(user=user, setting=setting).values("pupil_id"))
        .count()
    )
    groups = [
        group
        for group in groups_of(setting, deliverer_id=user.pk, show="current", today=on)
        if any(slot.weekday == on.weekday() for slot in group.slots.all())
    ]
    sessions = [
        Item(
            f"{group.name}",
            reverse("provision:group_register", args=[group.pk]),
            ", ".join(str(slot) for slot in group.slots.all() if slot.weekday == on.weekday()),
        )
        for group in groups
    ]
    my_pupils = reverse("worklists:my_pupils")
    lists = [
        WorkList("Your pupils", pupils, my_pupils, []),
        WorkList("Sessions to log today", len(sessions), reverse("provision:groups", args=[setting.pk]), sessions),
    ]
    return Section("staff", f"Your pupils and groups: {setting.name}", lists, empty="No sessions to log today.")


def _la_links(user: User, la: LocalAuthority) -> list[Item]:
    """The LA's configuration pages an LA admin manages."""
    held = access.la_permissions(user, la)
    pages = [
        (OrganisationPermission.MANAGE_LOCAL_RULES, "Local rules", reverse("rulepacks:pack", args=[la.pk])),
        (OrganisationPermission.MANAGE_LOCAL_RULES, "Pathway stages", reverse("rulepacks:stages", args=[la.pk])),
        (OrganisationPermission.MANAGE_LOCAL_RULES, "Plan types and tiers", reverse("plans:choices", args=[la.pk])),
        (OrganisationPermission.VIEW_LA_FIGURES, "Plan quality", reverse("plans:quality", args=[la.pk])),
        (OrganisationPermission.MANAGE_PROVISION_CATALOGUE, "Shared intervention catalogue",
         reverse("provision:catalogue", args=["la", la.pk])),
        (OrganisationPermission.MANAGE_PROVISION_CATALOGUE, "Tier names",
         reverse("provision:name_tiers", args=[la.pk])),
        (OrganisationPermission.MANAGE_SERVICES_DIRECTORY, "Services directory",
         reverse("specialists:la_directory", args=[la.pk])),
        (OrganisationPermission.MANAGE_GUIDANCE, "Guidance", reverse("guidance:la_pages", args=[la.pk])),
        (OrganisationPermission.MANAGE_GUIDANCE, "Ordinarily available provision",
         reverse("oap:overview", args=[la.pk])),
        (OrganisationPermission.MANAGE_GUIDANCE, "Training offer", reverse("training:offer", args=[la.pk])),
        (OrganisationPermission.VIEW_LA_FIGURES, "Settings' self-reviews",
         reverse("oap:la_self_reviews", args=[la.pk])),
        (OrganisationPermission.MANAGE_MEMBERS, "People", reverse("organisations:members", args=["la", la.pk])),
        (OrganisationPermission.VIEW_SECURITY_EVENTS, "Security events",
         reverse("audit:la_security_events", args=[la.pk])),
    ]  # fmt: skip
    return [Item(label, url) for permission, label, url in pages if permission in held]


def la_section(user: User, la: LocalAuthority, on: date) -> Section:
    """The officer's own EHC cases, nearest deadline first: 3 queries (the inbox's)."""
    rows = inbox(la, on, InboxFilter(officer=user.pk))
    actor = access.actor_in(user, la)
    for row in rows[:FIRST_FEW]:  # the case pages name the pupil; so does this list
        note_pupil_reached(actor, row.case.pupil_id)
    items = [
        Item(
            row.case.pupil.display_name,
            reverse("ehc:case", args=[la.pk, row.case.pk]),
            f"{row.deadline.label}: {_day(row.deadline.statutory)} ({row.days_left(on)} days)",
        )
        for row in rows[:FIRST_FEW]
    ]
    inbox_url = reverse("ehc:inbox", args=[la.pk])
    lists = [WorkList("Your EHC cases, nearest deadline first", len(rows), f"{inbox_url}?officer={user.pk}", items)]
    return Section(
        "la", f"EHC casework: {la.name}", lists, links=[Item("The EHC inbox", inbox_url), *_la_links(user, la)],
        empty="No open EHC cases are assigned to you.",
    )  # fmt: skip


def today_for(user: User, on: date) -> list[Section]:
    """One section per role and place the person holds, in the order of their memberships."""
    sections = []
    for membership in access.memberships_of(user):
        if membership.setting is not None and membership.role in LEADS:
            sections.append(senco_section(user, membership.setting, on))
        elif membership.setting is not None and membership.role in DELIVERS:
            sections.append(staff_section(user, membership.setting, on))
        elif membership.local_authority is not None and membership.role in (Role.LA_OFFICER, Role.LA_ADMIN):
            sections.append(la_section(user, membership.local_authority, on))
    return sections
