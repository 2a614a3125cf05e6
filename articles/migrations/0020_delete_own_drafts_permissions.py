"""Editors (and so Clinical reviewers) may delete pages and FAQ answers: the admin allows it only for a draft
the user added and never submitted (articles.editorial.own_drafts)."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here rather than imported from articles.roles: a migration must do what it did when it was written, and
# still run when the live code has changed or moved.
DELETE_OWN_DRAFTS = [("articles", "delete_article"), ("faq", "delete_question")]
GRANTS = {"Editor": DELETE_OWN_DRAFTS, "Clinical reviewer": DELETE_OWN_DRAFTS}


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


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label__in={app for app, _ in permissions},
                    codename__in={codename for _, codename in permissions},
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_review_dates_to_publish_created_by"),
        ("faq", "0011_review_dates_to_publish_created_by"),
    ]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
