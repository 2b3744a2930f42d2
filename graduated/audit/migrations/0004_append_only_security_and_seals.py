from django.db import migrations


def install(apps, schema_editor):
    from graduated.audit import triggers

    # Every audit table that exists now, the new ones included; the audit trail's own are
    # re-created unchanged (CREATE ... IF NOT EXISTS / OR REPLACE).
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_security_events_and_chain_seals")]
    # Going back, 0003 drops the new tables, and their triggers with them.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
