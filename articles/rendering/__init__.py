"""Rendering: from a Markdown source to the sanitized HTML a page stores, and what is measured on the way.

- `renderer`: the one Markdown renderer and sanitizer (every body, from files or the admin, passes it).
- `care_cards`: the care-card and callout syntax (`!!! emergency "..."`), as a Python-Markdown extension.
- `shared_blocks`: `{{ block name }}` lines, put in before anything else.
- `citations`: `[@key]` to numbered links; `glossary_links`: first uses of glossary words linked.
- `pictures`: the text-alternative rule for inline SVG pictures.
- `readability`: reading grades measured on the rendered HTML.
- `bodies`: the whole pipeline for one stored body, and rendering many at once across processes.

Nothing here touches the database or imports the models: callers pass in the references and blocks to use.
"""
