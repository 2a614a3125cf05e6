"""Gives both editorial groups the permissions to propose changes to live pages and FAQ answers."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here rather than imported from articles.roles: a migration must do what it did when it was written, and
# still run when the live code has changed or moved.
PROPOSE_CHANGES = [
    ("articles", "add_pagerevision"),
    ("articles", "change_pagerevision"),
    ("articles", "view_pagerevision"),
    ("articles", "delete_pagerevision"),
    ("faq", "add_answerrevision"),
    ("faq", "change_answerrevision"),
    ("faq", "view_answerrevision"),
    ("faq", "delete_answerrevision"),
]
GRANTS = {"Editor": PROPOSE_CHANGES, "Clinical reviewer": PROPOSE_CHANGES}


def grant_permissions(apps, schema_editor):
    # Django makes permissions only after all migrations have run: make those of the models migrated so far. The
    # installed app config only gets create_permissions past its "has models" check; the models, content types
    # and permissions it makes come from the migration state (`apps`).
    for app_label in ("articles", "faq"):
        app_config = installed_apps.get_app_config(app_label)
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            )
        )


class Migration(migrations.Migration):
    dependencies = [("faq", "0005_answer_revision"), ("articles", "0009_page_revision")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
