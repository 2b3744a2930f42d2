"""Every cycle written before plan types existed was a SEN support plan (an APDR cycle): it keeps
that meaning."""

from typing import Any

from django.db import migrations


def give_plan_type(apps: Any, schema_editor: Any) -> None:
    plan_type = apps.get_model("plans", "PlanType").objects.filter(key="sen_support_plan").first()
    if plan_type is not None:
        apps.get_model("support", "Cycle").objects.filter(plan_type__isnull=True).update(plan_type=plan_type)


class Migration(migrations.Migration):
    dependencies = [("support", "0005_plan_type_tier_quality"), ("plans", "0002_platform_defaults")]
    operations = [migrations.RunPython(give_plan_type, migrations.RunPython.noop)]
