"""The stored search vector becomes a model field: Article.search_vector and GlossaryTerm.search_vector.

Migration 0008 made the column with SQL, unknown to Django. Here it is dropped and made again from the models'
GeneratedField (articles.search_text.search_vector_field): the same vector (title weighted A, search text
weighted B, English configuration), which the database keeps in step with every write. On PostgreSQL it then
gets what 0008 gave it: STORAGE MAIN, and a GIN index for the match. On SQLite the column holds an empty string
(site search uses FTS5 there).

STORAGE MAIN keeps the vector in the row (compressed if that helps) rather than in the TOAST table: every match
is ranked from its vector, and at 10,000 pages search p95 was 74 ms with the vectors out of line and 30-36 ms in
the row (tests/bench/search_bench.py). PostgreSQL 15 cannot set it when the column is added, so the rows already
there are rewritten after it is set.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models

MARKS = "\ue000\ue001"  # articles.search_text.MARK_START and MARK_END


class SearchDocument(models.Func):
    """A frozen copy of articles.search_text.SearchDocument as this migration made the columns with it: a
    migration must build what it built when it was written, and still run when the live code has changed or
    moved. It deconstructs under the live class's name, so that makemigrations compares the two as one."""

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self, title, text):
        title_words = models.Func(
            models.F(title),
            models.Value(MARKS),
            models.Value(""),
            function="translate",
            output_field=models.TextField(),
        )
        super().__init__(
            SearchVector(title_words, config="english", weight="A")
            + SearchVector(text, config="english", weight="B")
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return "''", []

    def deconstruct(self):
        return "articles.search_text.SearchDocument", *self._constructor_args


TABLES = ("articles_article", "articles_glossaryterm")


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


# The column and index migration 0008 made (the index goes with the column).
DROP_SQL_COLUMNS = [f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector" for table in TABLES]
SQL_COLUMNS = [
    statement
    for table, title in [("articles_article", "title"), ("articles_glossaryterm", "term")]
    for statement in [
        f"""
        ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, translate({title}, E'\\uE000\\uE001', '')), 'A')
            || setweight(to_tsvector('english'::regconfig, search_text), 'B')
        ) STORED
        """,
        f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN",
        f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)",
    ]
]
STORE_IN_ROW_AND_INDEX = [
    statement
    for table in TABLES
    for statement in [
        f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN",
        f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)",
        # Rewrites every row, vector now in line (PostgreSQL computes a stored generated column again on each
        # update). Last: it may leave foreign key checks pending, and PostgreSQL then alters no table.
        f"UPDATE {table} SET search_text = search_text",
    ]
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_model_limits_for_files"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(DROP_SQL_COLUMNS), run_on_postgresql(SQL_COLUMNS)),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=SearchDocument("title", "search_text"),
                output_field=SearchVectorField(),
                serialize=False,
            ),
        ),
        migrations.AddField(
            model_name="glossaryterm",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=SearchDocument("term", "search_text"),
                output_field=SearchVectorField(),
                serialize=False,
            ),
        ),
        # Backwards, dropping the fields drops their indexes.
        migrations.RunPython(run_on_postgresql(STORE_IN_ROW_AND_INDEX), migrations.RunPython.noop),
    ]
