"""Everything a reader sees goes through review: Editors no longer change the disclaimer, glossary terms and
references directly (nor add glossary terms, which show at once); they propose changes to them, and to shared
blocks, which a Clinical reviewer publishes. Editors may still add references: one nobody cites shows nowhere.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here rather than imported from articles.roles: a migration must do what it did when it was written, and
# still run when the live code has changed or moved.
PROPOSE_CHANGES = [
    ("articles", "add_disclaimerrevision"),
    ("articles", "change_disclaimerrevision"),
    ("articles", "view_disclaimerrevision"),
    ("articles", "delete_disclaimerrevision"),
    ("articles", "add_glossarytermrevision"),
    ("articles", "change_glossarytermrevision"),
    ("articles", "view_glossarytermrevision"),
    ("articles", "delete_glossarytermrevision"),
    ("articles", "add_referencerevision"),
    ("articles", "change_referencerevision"),
    ("articles", "view_referencerevision"),
    ("articles", "delete_referencerevision"),
    ("articles", "add_sharedblockrevision"),
    ("articles", "change_sharedblockrevision"),
    ("articles", "view_sharedblockrevision"),
    ("articles", "delete_sharedblockrevision"),
]
# Changed in place only by a reviewer from now on (reviewers held these already, as Editors did).
CHANGED_DIRECTLY = [
    ("articles", "change_disclaimer"),
    ("articles", "add_glossaryterm"),
    ("articles", "change_glossaryterm"),
    ("articles", "change_reference"),
]
GRANTS = {
    "Editor": PROPOSE_CHANGES,
    "Clinical reviewer": [
        *PROPOSE_CHANGES,
        *CHANGED_DIRECTLY,
        ("articles", "publish_disclaimer"),
        ("articles", "publish_glossaryterm"),
        ("articles", "publish_reference"),
        ("articles", "publish_sharedblock"),
    ],
}
WITHDRAWN = {"Editor": CHANGED_DIRECTLY}


def permissions(Permission, listed):
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in listed
    ]


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
    for name, listed in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(Permission, listed))
    for name, listed in WITHDRAWN.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.remove(*permissions(Permission, listed))


def restore_direct_changes(apps, schema_editor):
    # Going back: Editors change these in place again (the proposal models and their permissions go with the
    # schema migration before this one).
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, listed in WITHDRAWN.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(Permission, listed))


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_review_for_site_texts")]

    operations = [migrations.RunPython(grant_permissions, restore_direct_changes)]
