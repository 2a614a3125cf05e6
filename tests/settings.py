"""The site's settings, plus an app that exists only for the tests (tests.kind_app: a kind of content declared
nowhere else)."""

from ivmt_site.settings import *  # noqa: F403
from ivmt_site.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kind_app"]
