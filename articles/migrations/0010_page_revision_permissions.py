"""Gives both editorial groups the permissions to propose changes to live pages."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from articles.roles import sync_groups


def update_groups(apps, schema_editor):
    app_config = installed_apps.get_app_config("articles")
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_page_revision")]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
