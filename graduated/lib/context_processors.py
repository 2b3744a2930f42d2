"""What every page's shell (header, service navigation) needs to know."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from graduated import access
from graduated.access import OrganisationPermission
from graduated.accounts import second_factor
from graduated.organisations.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """The service navigation: one entry per place this person's roles give them."""
    # Error pages render for requests the middleware refused early (a 400 for an unknown Host
    # header is raised before AuthenticationMiddleware runs): no user or session there, no links.
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None:
        return []
    # Until the second step is done, no links: they would only lead back to it.
    if not user.is_authenticated or not second_factor.is_verified(session):
        return []
    entries: list[tuple[str, str]] = [("Home", reverse("home"))]
    for membership in access.memberships_of(user):
        if membership.setting_id:
            setting = membership.setting
            assert setting is not None
            if membership.role in (Role.SENCO, Role.SENIOR_LEADER):
                entries.append((f"SEN register: {setting.name}", reverse("pupils:register", args=[setting.pk])))
                entries.append((f"Caseload: {setting.name}", reverse("worklists:caseload", args=[setting.pk])))
                entries.append((f"Provision: {setting.name}", reverse("provision:setting_map", args=[setting.pk])))
            if membership.role == Role.SENCO:
                entries.append(("Local services", reverse("specialists:setting_directory", args=[setting.pk])))
            if OrganisationPermission.MANAGE_MEMBERS in access.setting_permissions(user, setting):
                entries.append(
                    (f"People: {setting.name}", reverse("organisations:members", args=["setting", setting.pk]))
                )
        elif membership.local_authority_id:
            la = membership.local_authority
            assert la is not None
            entries.append((f"Overview: {la.name}", reverse("organisations:la_overview", args=[la.pk])))
            entries.append((f"SEN dashboard: {la.name}", reverse("oversight:dashboard", args=[la.pk])))
            entries.append((f"Interventions: {la.name}", reverse("provision:catalogue", args=["la", la.pk])))
            entries.append((f"Impact: {la.name}", reverse("provision:la_impact", args=[la.pk])))
            entries.append((f"Services: {la.name}", reverse("specialists:la_directory", args=[la.pk])))
            entries.append((f"Local rules: {la.name}", reverse("rulepacks:pack", args=[la.pk])))
            entries.append((f"Guidance: {la.name}", reverse("guidance:la_pages", args=[la.pk])))
            entries.append((f"EHC casework: {la.name}", reverse("ehc:inbox", args=[la.pk])))
            if OrganisationPermission.MANAGE_MEMBERS in access.la_permissions(user, la):
                entries.append((f"People: {la.name}", reverse("organisations:members", args=["la", la.pk])))
            if OrganisationPermission.VIEW_SECURITY_EVENTS in access.la_permissions(user, la):
                entries.append((f"Security events: {la.name}", reverse("audit:la_security_events", args=[la.pk])))
    delivering = [m for m in access.memberships_of(user) if m.role in (Role.TEACHER, Role.TEACHING_ASSISTANT)]
    if delivering:
        entries.append(("My pupils", reverse("worklists:my_pupils")))
    for membership in delivering:  # the intervention groups they run, with their registers
        label = "My groups" if len(delivering) == 1 else f"My groups: {membership.setting}"
        entries.append((label, reverse("provision:groups", args=[membership.setting_id])))
    if user.is_platform_admin:
        entries.append(("Security events", reverse("audit:security_events")))
        entries.append(("Platform administration", reverse("admin:index")))
    if not access.memberships_of(user) and not user.is_superuser:
        # Outside professionals and families: one query each, only for people with no role.
        if user.professional_grants.exists():
            entries.append(("My pupils", reverse("professionals:my_pupils")))
        if user.family_links.exists():
            entries.append(("Your children", reverse("families:home")))
    path = request.path
    # The longest matching prefix is the active entry (Home matches everything).
    best = max((url for _, url in entries if path.startswith(url)), key=len, default="")
    return [NavItem(label, url, url == best) for label, url in entries]


def shell(request: HttpRequest) -> dict[str, object]:
    return {"service_name": settings.SITE_NAME, "nav_items": navigation_for(request)}
