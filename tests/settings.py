"""The site's settings, plus an app that exists only for the tests (tests.kind_app: a kind of content declared
nowhere else)."""

from ivmt_site.settings import *  # noqa: F403
from ivmt_site.settings import INSTALLED_APPS

# Before the project shell's SiteConfig, which connects the page cache to every registered kind.
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "tests.kind_app", INSTALLED_APPS[-1]]
