from django.db.models import Prefetch

from graduated import access
from graduated.accounts.models import User
from graduated.pupils import selectors as pupil_selectors
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus, Outcome, Provision


def linked_pupils_with_plans(user: User) -> list[Pupil]:
    """The pupils linked to ``user``, each with ``current_needs``, ``current_status`` and
    ``open_cycles`` (the open cycle with its outcomes and provision). Five queries."""
    linked = access.visible_pupils(user).filter(staff_links__user=user).distinct()
    open_cycles = Cycle.objects.exclude(status=CycleStatus.CLOSED).prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("position")),
        Prefetch("provisions", queryset=Provision.objects.select_related("delivered_by").order_by("id")),
    )
    pupils = pupil_selectors.with_current_needs(pupil_selectors.with_current_status(linked))
    pupils = pupils.prefetch_related(Prefetch("cycles", queryset=open_cycles, to_attr="open_cycles"))
    return list(pupils.order_by("legal_last_name", "legal_first_name", "id"))
