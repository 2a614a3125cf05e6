"""Creates the "Editor" and "Clinical reviewer" groups with their permissions."""

from django.db import migrations

from articles.roles import ROLE_PERMISSIONS, update_groups


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_alter_article_options_alter_article_status"),
        ("faq", "0003_alter_question_options_alter_question_status"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(update_groups, remove_groups)]
