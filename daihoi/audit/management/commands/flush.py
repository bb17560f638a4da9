"""Django's flush, able to empty the append-only audit tables.

A flush is a deliberate reset of the whole database (and what the test runner does between
transactional tests); it leaves an empty chain, which verifies. The audit triggers are lifted
only inside the flush's own transaction.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import connections, transaction

from daihoi.audit.services import suspend_immutability


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias), suspend_immutability(connection):
            super().handle(**options)
