"""The stored search vector of FAQ answers becomes a model field, Question.search_vector (see articles 0013).

Migration 0004 made the column with SQL, unknown to Django; here it is made again from the model's GeneratedField,
then given STORAGE MAIN and a GIN index on PostgreSQL, as 0004 did.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models

MARKS = "\ue000\ue001"  # articles.search_text.MARK_START and MARK_END


class SearchDocument(models.Func):
    """A frozen copy of articles.search_text.SearchDocument as this migration made the column with it: a
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


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


# The column and index migration 0004 made (the index goes with the column).
DROP_SQL_COLUMN = ["ALTER TABLE faq_question DROP COLUMN IF EXISTS search_vector"]
SQL_COLUMN = [
    """
    ALTER TABLE faq_question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(question, E'\\uE000\\uE001', '')), 'A')
        || setweight(to_tsvector('english'::regconfig, search_text), 'B')
    ) STORED
    """,
    "ALTER TABLE faq_question ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX faq_question_search_vector ON faq_question USING gin (search_vector)",
]
STORE_IN_ROW_AND_INDEX = [
    "ALTER TABLE faq_question ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX faq_question_search_vector ON faq_question USING gin (search_vector)",
    # Rewrites every row, vector now in line (PostgreSQL computes a stored generated column again on each
    # update). Last: the rows the table rewrite above made are new in this transaction, so the update queues
    # their foreign key check until commit, and PostgreSQL alters no table with checks pending.
    "UPDATE faq_question SET search_text = search_text",
]


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0008_model_limits_for_files"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(DROP_SQL_COLUMN), run_on_postgresql(SQL_COLUMN)),
        migrations.AddField(
            model_name="question",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=SearchDocument("question", "search_text"),
                output_field=SearchVectorField(),
                serialize=False,
            ),
        ),
        # Backwards, dropping the field drops its index.
        migrations.RunPython(run_on_postgresql(STORE_IN_ROW_AND_INDEX), migrations.RunPython.noop),
    ]
