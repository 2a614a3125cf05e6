"""Content files: the Markdown and YAML files in content/ and the records they describe.

What files exist and what they hold comes from the content-kind registry (articles.registry), where each kind
(a page, an FAQ answer, a reference...) is declared once by the app that owns its model.

- `entries`: what reading produces: an entry per record, and problems naming the file and line.
- `parsing`: a file's text as raw data (UTF-8, YAML, front matter split from the body).
- `front_matter`: front matter and list entries checked with Django's own form and model validation.
- `links`: every internal link must reach a published page.
- `reading`: reading and checking every file, without touching the database (`read_content`).
- `sync`: writing checked content into the database without losing an admin edit (`sync_content`).
- `export`: writing the database back to files, byte for byte as the loader reads them (`export_content`).
- `conflicts`: a record changed in its file and in the admin: the diff and next step both commands show.
- `proposals`: a file's text preferred over a live, reviewed record goes in as proposed changes.

Nothing here imports another app: the FAQ's kinds, like every other, come from the registry.
"""
