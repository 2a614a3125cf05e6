"""Stored search text for FAQ answers, and on PostgreSQL their full-text index (see articles 0008; faq 0009
replaces the column with the model's GeneratedField)."""

from html.parser import HTMLParser

from django.db import migrations, models

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


# Frozen copies of the text extraction in articles.search_text, not imported from it: a migration must do what it
# did when it was written, and still run when the live code has changed or moved.
MARK_START = "\ue000"
MARK_END = "\ue001"
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIPPED = frozenset({"sup", "svg"})


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip_depth:
            self.parts.append(data)


def clean_text(text):
    text = text.replace("\x00", " ").replace(MARK_START, "").replace(MARK_END, "")
    return " ".join(text.split())


def html_to_text(html):
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return clean_text("".join(extractor.parts))


def fill_search_text(apps, schema_editor):
    Question = apps.get_model("faq", "Question")
    questions = []
    for question in Question.objects.only("pk", "answer_html").iterator(chunk_size=BATCH):
        question.search_text = html_to_text(question.answer_html)
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
