"""Give every existing local authority the default stages (new LAs get them from stages_for)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Copied, not imported: a migration must keep working when the model code changes later.
DEFAULT_STAGES = [
    ("quality_first_teaching", "Quality First Teaching",
     "High-quality teaching, differentiated for individuals, for every pupil."),
    ("monitoring", "Monitoring",
     "A concern has been raised; progress is watched closely and looked at again on a set date."),
    ("sen_support", "SEN support", "Special educational provision through Assess, Plan, Do, Review cycles (census K)."),
    ("specialist_involvement", "SEN support with specialist involvement",
     "SEN support with advice or help from specialists, with parents' agreement."),
    ("my_support_plan", "My Support Plan", "A person-centred planning meeting has agreed a My Support Plan."),
    ("ehc_assessment_requested", "EHC needs assessment requested",
     "A request for an EHC needs assessment has gone to the local authority."),
    ("ehc_plan", "EHC plan", "The pupil has an education, health and care plan (census E)."),
]  # fmt: skip


def create_default_stages(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    Stage = apps.get_model("pathway", "Stage")
    for la in LocalAuthority.objects.order_by("pk"):
        existing = set(Stage.objects.filter(local_authority=la).values_list("key", flat=True))
        Stage.objects.bulk_create(
            Stage(local_authority=la, key=key, name=name, order=order, description=description)
            for order, (key, name, description) in enumerate(DEFAULT_STAGES, start=1)
            if key not in existing
        )


class Migration(migrations.Migration):
    dependencies = [("pathway", "0001_initial")]

    operations = [migrations.RunPython(create_default_stages, migrations.RunPython.noop)]
