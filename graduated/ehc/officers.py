"""Who can hold an LA's EHC cases: its officers and admins who are people (not API service accounts)."""

from django.db.models import QuerySet

from graduated.accounts.models import User
from graduated.organisations.models import LA_ROLES, LocalAuthority, Membership


def la_officers(la: LocalAuthority) -> QuerySet[User]:
    members = Membership.objects.in_organisation(la).people().filter(role__in=LA_ROLES).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")
