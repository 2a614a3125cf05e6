"""Creates the "Editor" and "Clinical reviewer" groups with their permissions."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here rather than imported from articles.roles: a migration must do what it did when it was written, and
# still run when the live code has changed or moved.
# The two roles as they began. Later migrations (articles 0006 and 0010, faq 0006) add what they introduced.
EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_reference"),
    ("articles", "change_reference"),
    ("articles", "view_reference"),
    ("articles", "add_glossaryterm"),
    ("articles", "change_glossaryterm"),
    ("articles", "view_glossaryterm"),
    ("articles", "change_disclaimer"),
    ("articles", "view_disclaimer"),
    ("articles", "view_clinicalreview"),
    ("faq", "add_question"),
    ("faq", "change_question"),
    ("faq", "view_question"),
    ("faq", "view_category"),
]
GRANTS = {
    "Editor": EDITOR_PERMISSIONS,
    "Clinical reviewer": [
        *EDITOR_PERMISSIONS,
        ("articles", "publish_article"),
        ("articles", "add_clinicalreview"),
        ("articles", "change_clinicalreview"),
        ("faq", "publish_question"),
        ("faq", "add_category"),
        ("faq", "change_category"),
    ],
}


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


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GRANTS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_alter_article_options_alter_article_status"),
        ("faq", "0003_alter_question_options_alter_question_status"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_permissions, remove_groups)]
