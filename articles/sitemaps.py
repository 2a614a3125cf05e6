from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[Article]:
        return list(Article.objects.published())

    def lastmod(self, article: Article) -> datetime:
        return article.updated


class SitePagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["faq:index", "articles:glossary"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "pages": SitePagesSitemap}
