"""Everything held about one pupil: the rows reachable from their Pupil row, and their files.

Used by the retention purge (which removes it) and the subject access request export (which hands
it over), so that the two can never disagree about what "the pupil's data" is.

A row belongs to the pupil when it points at a row of theirs through a foreign key that deletes or
protects: CASCADE, PROTECT or RESTRICT. PROTECT and RESTRICT count because they guard records that
must not disappear while the pupil is kept (an EHC request, a cycle another cycle continues), not
records that outlive the pupil. A SET_NULL or DO_NOTHING key says the row is someone else's (a
recommendation that mentions a provision); purging only detaches it.

The walk follows reverse relations only. Forward keys lead to shared things (a setting, a user, a
catalogue item) that are not the pupil's. Audit events hold the pupil's id as a plain number,
not a key, so they are never reached here; they are read separately by their ``pupil_id``.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models
from django.db.models.deletion import CASCADE, PROTECT, RESTRICT, get_candidate_relations_to_delete
from django.db.models.fields.files import FieldFile
from django.db.models.fields.reverse_related import ForeignObjectRel

from graduated.pupils.models import Pupil

_OWNING = (CASCADE, PROTECT, RESTRICT)


@dataclass
class Detachment:
    """Rows of someone else's that point at the pupil's rows through a nullable key."""

    field: models.ForeignKey[models.Model, models.Model]
    pks: list[object]


@dataclass
class PupilData:
    """The pupil's rows by model (primary keys, in order), and the outside keys that point in."""

    pupil: Pupil
    rows: dict[type[models.Model], list[object]] = field(default_factory=dict)
    detachments: list[Detachment] = field(default_factory=list)

    def querysets(self) -> Iterator[models.QuerySet[models.Model]]:
        """Each model's rows, ordered by primary key, through the base manager (no default filters)."""
        for model, pks in self.rows.items():
            yield model._base_manager.filter(pk__in=pks).order_by("pk")

    def files(self) -> list[FieldFile]:
        """Every stored file the pupil's rows name (documents, generated request bundles)."""
        found = []
        for queryset in self.querysets():
            file_fields = [f for f in queryset.model._meta.concrete_fields if isinstance(f, models.FileField)]
            if not file_fields:
                continue
            for instance in queryset:
                found += [getattr(instance, f.name) for f in file_fields if getattr(instance, f.name)]
        return found

    def count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def collect(pupil: Pupil) -> PupilData:
    """Walk out from the Pupil along every owning reverse key, breadth first, one query per key."""
    data = PupilData(pupil=pupil, rows={Pupil: [pupil.pk]})
    queue: list[tuple[type[models.Model], list[object]]] = [(Pupil, [pupil.pk])]
    while queue:
        model, pks = queue.pop(0)
        # The relations Django's own deletion follows, hidden ones (related_name="+") and
        # many-to-many through tables included.
        for relation in get_candidate_relations_to_delete(model._meta):
            assert isinstance(relation, ForeignObjectRel) and relation.related_model is not None
            related_model: type[models.Model] = relation.related_model
            key = relation.field
            referring = related_model._base_manager.filter(**{f"{key.name}__in": pks})
            found = list(referring.order_by("pk").values_list("pk", flat=True))
            if not found:
                continue
            if key.remote_field.on_delete not in _OWNING:
                data.detachments.append(Detachment(field=key, pks=found))
                continue
            known = set(data.rows.setdefault(related_model, []))
            new = [pk for pk in found if pk not in known]
            if new:
                data.rows[related_model] += new
                queue.append((related_model, new))
    # Rows reached first as someone else's may turn out to be the pupil's by another path
    # (a recommendation of the pupil's own referral); those are deleted, not detached.
    data.detachments = [
        Detachment(field=d.field, pks=[pk for pk in d.pks if pk not in set(data.rows.get(d.field.model, []))])
        for d in data.detachments
    ]
    data.detachments = [d for d in data.detachments if d.pks]
    return data
