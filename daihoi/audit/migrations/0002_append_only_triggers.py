# The audit tables refuse UPDATE, DELETE and TRUNCATE at the database level too, so raw SQL
# cannot quietly rewrite history. The SQL lives in daihoi/audit/triggers.py (also used by restore).

from django.db import migrations

from daihoi.audit import triggers


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(triggers.install, triggers.remove, elidable=False),
    ]
