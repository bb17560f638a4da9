"""One row from a hot statement (a vote, a public comment), prepared once per connection.

On PostgreSQL the statement goes through psycopg's server-side binding with prepare=True: the
server parses and plans it once per connection instead of on every request (planning the vote's
seat query alone cost about 0.2 ms of the server's CPU). config.database sets the
prepare_threshold this needs; Django's own queries bind on the client and are never prepared.
Other databases run it through Django's cursor.
"""

from __future__ import annotations

from django.db import connection as default_connection


def fetch_one(sql: str, params: list, connection=default_connection):
    if connection.vendor == "postgresql":
        from psycopg import Cursor  # Django's ClientCursor cannot prepare

        connection.ensure_connection()
        with Cursor(connection.connection) as cursor:
            return cursor.execute(sql, params, prepare=True).fetchone()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
