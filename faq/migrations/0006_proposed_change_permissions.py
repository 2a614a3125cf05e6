"""Gives both editorial groups the permissions to propose changes to live pages and FAQ answers."""

from django.db import migrations

from articles.roles import update_groups


class Migration(migrations.Migration):
    dependencies = [("faq", "0005_answer_revision"), ("articles", "0009_page_revision")]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
