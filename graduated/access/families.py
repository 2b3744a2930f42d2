"""Families reach their own children, and only through a live link (graduated.families).

A link gives no PupilPermission and is never a PupilAccess: every staff page of the child stays
a 404 for a parent, who sees the child only on the families app's own pages, with what is shared
with families. A link is read afresh on every request, so that its end (the SENCO removing it,
the child leaving the setting, the contact losing parental responsibility) takes effect at once.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from graduated.access.actors import actor
from graduated.accounts.models import User
from graduated.audit.reach import note_pupil_reached
from graduated.families.models import FamilyLink
from graduated.pupils.models import Enrolment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.audit.services import Actor
    from graduated.pupils.models import Pupil


@dataclass(frozen=True)
class FamilyAccess:
    user: User
    pupil: "Pupil"
    link: FamilyLink

    @property
    def role(self) -> str:
        return self.link.role

    @property
    def actor(self) -> "Actor":
        return actor(self.user, self.link.role, setting_id=self.link.setting_id)


def live_links(user: "User | AnonymousUser") -> QuerySet[FamilyLink]:
    """The user's links that give access now; none for anyone signed out or inactive."""
    if not isinstance(user, User) or not user.is_active:
        return FamilyLink.objects.none()
    on_roll = Enrolment.objects.current().filter(pupil_id=OuterRef("pupil_id"), setting_id=OuterRef("setting_id"))
    return FamilyLink.objects.filter(
        Q(contact__isnull=True) | Q(contact__parental_responsibility=True),
        Exists(on_roll),
        user=user,
        ended_at__isnull=True,
    )


def get_child_for_family(user: "User | AnonymousUser", pupil_id: int) -> FamilyAccess:
    """The child through ``user``'s live link: 404 without one, as for a pupil that does not exist."""
    if not isinstance(pupil_id, int):
        raise Http404("No such child.")
    link = live_links(user).filter(pupil_id=pupil_id).select_related("pupil", "setting").first()
    if link is None:
        raise Http404("No such child.")
    assert isinstance(user, User)
    found = FamilyAccess(user=user, pupil=link.pupil, link=link)
    note_pupil_reached(found.actor, link.pupil_id)
    return found
