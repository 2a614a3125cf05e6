"""Decision aid options: Editors read them; Clinical reviewers add, change and delete them, because a change
shows on the options page at once (a figure or a risk a reader weighs)."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here rather than imported from articles.roles: a migration must do what it did when it was written, and
# still run when the live code has changed or moved.
GRANTS = {
    "Editor": [("articles", "view_decisionoption")],
    "Clinical reviewer": [
        ("articles", "view_decisionoption"),
        ("articles", "add_decisionoption"),
        ("articles", "change_decisionoption"),
        ("articles", "delete_decisionoption"),
    ],
}


def grant_permissions(apps, schema_editor):
    # Django makes permissions only after all migrations have run: make those of the models migrated so far. The
    # installed app config only gets create_permissions past its "has models" check; the models, content types
    # and permissions it makes come from the migration state (`apps`).
    for app_label in ("articles",):
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
    dependencies = [("articles", "0015_decision_option")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
