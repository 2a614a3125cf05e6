"""Stored search text for FAQ answers, and on PostgreSQL their full-text index (see articles 0008)."""

from django.db import migrations, models

from articles.search_text import answer_search_text

BATCH = 500

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE faq_question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(question, E'\\uE000\\uE001', '')), 'A')
        || setweight(to_tsvector('english'::regconfig, search_text), 'B')
    ) STORED
    """,
    "ALTER TABLE faq_question ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX faq_question_search_vector ON faq_question USING gin (search_vector)",
]
POSTGRESQL_BACKWARD = ["ALTER TABLE faq_question DROP COLUMN search_vector"]


def fill_search_text(apps, schema_editor):
    Question = apps.get_model("faq", "Question")
    questions = []
    for question in Question.objects.only("pk", "answer_html").iterator(chunk_size=BATCH):
        question.search_text = answer_search_text(question.answer_html)
        questions.append(question)
    Question.objects.bulk_update(questions, ["search_text"], batch_size=BATCH)


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0003_alter_question_options_alter_question_status"),
        ("articles", "0008_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="search_text",
            field=models.TextField(
                default="", editable=False, help_text="The plain text site search indexes, derived on save."
            ),
        ),
        # The column first, then the text: rows written after SET STORAGE MAIN keep their vector in the table.
        migrations.RunPython(run_on_postgresql(POSTGRESQL_FORWARD), run_on_postgresql(POSTGRESQL_BACKWARD)),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
