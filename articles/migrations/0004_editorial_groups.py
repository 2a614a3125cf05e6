"""Creates the "Editor" and "Clinical reviewer" groups with their permissions."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from articles.roles import ROLE_PERMISSIONS, sync_groups


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so the groups can hold them.
    for app_label in ("articles", "faq"):
        app_config = installed_apps.get_app_config(app_label)
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_alter_article_options_alter_article_status"),
        ("faq", "0003_alter_question_options_alter_question_status"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
