"""A kind of content declared only here, to show that a new kind needs its own app and nothing else: the
loader, the exporter, search and the dashboard find it through the content-kind registry."""
