"""The decision aid's options (the table on /options/). Imports no app code: the OnSite mixin adds
methods only, so the migration state needs no base of it."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_https_validator_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="DecisionOption",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_path",
                    models.CharField(
                        blank=True,
                        editable=False,
                        help_text="Content file this record was last loaded from.",
                        max_length=300,
                    ),
                ),
                ("loaded_fingerprint", models.CharField(blank=True, editable=False, max_length=64)),
                ("last_reviewed", models.DateField(help_text="Date of the last whole review.")),
                ("next_review_due", models.DateField()),
                (
                    "slug",
                    models.SlugField(
                        max_length=60,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                "must be lowercase letters, digits and hyphens",
                                code="invalid_slug",
                            )
                        ],
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Short: it heads the option's answers.", max_length=40, unique=True
                    ),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        help_text="Where the option comes in the table, lowest first.",
                        validators=[django.core.validators.MaxValueValidator(999)],
                    ),
                ),
                (
                    "taken",
                    models.TextField(
                        help_text="How it is taken or done: by mouth, by drip, how often.", max_length=300
                    ),
                ),
                (
                    "works",
                    models.TextField(
                        help_text='How well it works, with figures as "X in 100", each cited.', max_length=300
                    ),
                ),
                (
                    "sure",
                    models.TextField(
                        help_text="How sure we are: how many and how good the studies are.", max_length=300
                    ),
                ),
                ("side_effects", models.TextField(help_text="Its side effects and risks.", max_length=300)),
                (
                    "cost",
                    models.TextField(
                        help_text="What it costs, cited; where prices vary, say so.", max_length=300
                    ),
                ),
                (
                    "effort",
                    models.TextField(
                        help_text="Time and effort: visits, daily pills, how long before you can tell.",
                        max_length=300,
                    ),
                ),
                ("living", models.TextField(help_text="What it is like to live with.", max_length=300)),
                ("cells_html", models.JSONField(default=dict, editable=False)),
                ("updated", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "decision aid option",
                "ordering": ["order", "name"],
                "abstract": False,
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("next_review_due__gt", models.F("last_reviewed"))),
                        name="decisionoption_next_review_after_last",
                    )
                ],
            },
        ),
    ]
