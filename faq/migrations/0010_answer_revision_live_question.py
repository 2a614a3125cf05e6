"""A proposed change to a live FAQ answer points at a Question: its foreign key says so (it was live_answer)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("faq", "0009_search_vector")]

    operations = [
        migrations.RenameField(model_name="answerrevision", old_name="live_answer", new_name="live_question"),
    ]
