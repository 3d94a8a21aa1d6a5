"""Names for the few queries written as plain SQL (where building them with the ORM costs more
than the database takes to answer, on every request of a busy page): the tables and columns of
models, quoted for the database in use, so that such a query follows the models."""

from django.db import connection


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def exists_each(*subqueries: str, params: list) -> tuple[bool, ...]:
    """One row: for each subquery (SQL of a SELECT), whether it finds anything."""
    select = ",\n".join(f"EXISTS ({subquery})" for subquery in subqueries)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", params)
        return tuple(bool(value) for value in cursor.fetchone())
