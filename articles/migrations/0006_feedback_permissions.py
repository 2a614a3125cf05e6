"""Gives both editorial groups the permissions to read and delete reader feedback."""

from django.db import migrations

from articles.roles import update_groups


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_feedback")]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
