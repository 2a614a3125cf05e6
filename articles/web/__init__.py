"""Small request helpers shared by the site's views and the project's middleware: the client's address
(trusting only the configured proxies) and cache calls that cannot fail a request. They import no models."""
