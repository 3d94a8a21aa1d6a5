"""Names for the few queries written as plain SQL (where building them with the ORM costs more
than the database takes to answer, on every request of a busy page): the tables and columns of
models, quoted for the database in use, so that such a query follows the models."""

from django.db import connection


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


# Questions of several modules about one viewer, asked in one round trip: each module names its
# questions (name -> (SQL expression, params)), `ask()` answers them all in one SELECT.
Questions = dict[str, tuple[str, list]]


def ask(questions: Questions) -> dict:
    """The value of each question's scalar expression, by name (one query; none for none)."""
    if not questions:
        return {}
    names = list(questions)
    select = ",\n".join(questions[name][0] for name in names)
    params = [param for name in names for param in questions[name][1]]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", params)
        return dict(zip(names, cursor.fetchone(), strict=True))


def exists(subquery: str) -> str:
    """A question: whether the subquery finds anything (an answer of 1/0 or True/False)."""
    return f"EXISTS ({subquery})"


def id_list(subquery: str) -> str:
    """A question: the ids the subquery selects (one column named `id`), read with `ids()`."""
    if connection.vendor == "postgresql":
        return f"(SELECT string_agg(DISTINCT q.id::text, ',') FROM ({subquery}) q)"
    return f"(SELECT group_concat(DISTINCT q.id) FROM ({subquery}) q)"


def ids(answer) -> set[int]:
    """The answer of an `id_list()` question."""
    return {int(value) for value in str(answer).split(",")} if answer else set()


def rows(sql: str, params: list) -> list[tuple]:
    """The rows of a plain SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
