"""Stored search text for pages and glossary terms, and on PostgreSQL their full-text index.

The text is derived on save (articles.search_text); this fills it for the rows already there. On PostgreSQL
each table also gets `search_vector`, a stored generated tsvector column (title weighted A, text weighted B)
with a GIN index: the database keeps it in step with every write, bulk or not. SQLite has no to_tsvector, so
there the search builds an FTS5 table. (Migration 0013 replaces the column with the models' GeneratedField of the
same expression, so that Django knows it.)

The vector has STORAGE MAIN: kept in the row (compressed if that helps) rather than moved out to the TOAST
table, unless the row would not fit a page. A common word matches most pages and every match is ranked from
its vector: at 10,000 pages (tests/bench/search_bench.py) search p95 was 74 ms with the vectors out of line
and 30-36 ms in the row. The price is a wider table (51 MB instead of 11 MB at 10,000 pages).
"""

from html.parser import HTMLParser

from django.db import migrations, models

BATCH = 500

# The title goes in without the snippet marker characters, as articles.search_text.clean_text leaves it.
POSTGRESQL_FORWARD = [
    """
    ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(title, E'\\uE000\\uE001', '')), 'A')
        || setweight(to_tsvector('english'::regconfig, search_text), 'B')
    ) STORED
    """,
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX articles_article_search_vector ON articles_article USING gin (search_vector)",
    """
    ALTER TABLE articles_glossaryterm ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, translate(term, E'\\uE000\\uE001', '')), 'A')
        || setweight(to_tsvector('english'::regconfig, search_text), 'B')
    ) STORED
    """,
    "ALTER TABLE articles_glossaryterm ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX articles_glossaryterm_search_vector ON articles_glossaryterm USING gin (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE articles_article DROP COLUMN search_vector",
    "ALTER TABLE articles_glossaryterm DROP COLUMN search_vector",
]


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


def page_search_text(summary, body_html):
    return clean_text(f"{summary} {html_to_text(body_html)}")


def glossary_search_text(definition, aliases):
    text = definition
    if aliases:
        text += " Also called: " + ", ".join(aliases) + "."
    return clean_text(text)


def fill_search_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    GlossaryTerm = apps.get_model("articles", "GlossaryTerm")
    articles = []
    for article in Article.objects.only("pk", "summary", "body_html").iterator(chunk_size=BATCH):
        article.search_text = page_search_text(article.summary, article.body_html)
        articles.append(article)
    Article.objects.bulk_update(articles, ["search_text"], batch_size=BATCH)
    terms = list(GlossaryTerm.objects.only("pk", "definition", "aliases"))
    for term in terms:
        term.search_text = glossary_search_text(term.definition, term.aliases)
    GlossaryTerm.objects.bulk_update(terms, ["search_text"], batch_size=BATCH)


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_contents"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(
                default="", editable=False, help_text="The plain text site search indexes, derived on save."
            ),
        ),
        migrations.AddField(
            model_name="glossaryterm",
            name="search_text",
            field=models.TextField(
                default="", editable=False, help_text="The plain text site search indexes, derived on save."
            ),
        ),
        # The column first, then the text: rows written after SET STORAGE MAIN keep their vector in the table.
        migrations.RunPython(run_on_postgresql(POSTGRESQL_FORWARD), run_on_postgresql(POSTGRESQL_BACKWARD)),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
