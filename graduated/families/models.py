"""A family's place in the record: a parent, carer or young person linked to a child.

A SENCO links a contact with parental responsibility (or a young person aged 16 or over, for
their own record) to the child; the link is the only way a family account reaches a pupil
(graduated/access/families.py). It is live while it has not been ended, the child is on roll at
the setting that made it, and, for a parent or carer linked from the child's contacts, that
contact still has parental responsibility: any of those ending ends the family's access at their
next request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from graduated.organisations.models import Setting


class FamilyRole(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "The young person"


class FamilyLink(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_links")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="family_links")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="family_links")
    role = models.CharField(max_length=12, choices=FamilyRole.choices, default=FamilyRole.PARENT)
    # The contact the link was made from (a parent or carer); None for a young person's own link.
    contact = models.ForeignKey(
        "pupils.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="family_links"
    )
    relationship = models.CharField(max_length=40, blank=True, help_text="As the contact gave it, e.g. Mother.")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pupil"], condition=Q(ended_at__isnull=True), name="one_live_family_link"
            ),
            # A parent's link comes from a contact; a young person's is their own.
            models.CheckConstraint(
                condition=Q(role="young_person", contact__isnull=True) | Q(role="parent"),
                name="young_person_link_has_no_contact",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} linked to {self.pupil} ({self.get_role_display()})"

    @property
    def is_young_person(self) -> bool:
        return self.role == FamilyRole.YOUNG_PERSON
