"""Gives both editorial groups the permissions to propose changes to live pages."""

from django.db import migrations

from articles.roles import update_groups


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_page_revision")]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
