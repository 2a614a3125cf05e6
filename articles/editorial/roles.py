"""The two editorial roles: group names and their permissions. The migrations grant them (with frozen
copies); tests check that the groups hold them."""

EDITOR = "Editor"
CLINICAL_REVIEWER = "Clinical reviewer"

# (app_label, codename). Editors write and submit for review; they cannot publish or record a review.
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
    ("articles", "view_sharedblock"),
    ("articles", "view_decisionoption"),
    ("faq", "add_question"),
    ("faq", "change_question"),
    ("faq", "view_question"),
    ("faq", "view_category"),
    # Changes proposed to a live page or answer: it stays as it is until a reviewer publishes them.
    ("articles", "add_pagerevision"),
    ("articles", "change_pagerevision"),
    ("articles", "view_pagerevision"),
    ("articles", "delete_pagerevision"),
    ("faq", "add_answerrevision"),
    ("faq", "change_answerrevision"),
    ("faq", "view_answerrevision"),
    ("faq", "delete_answerrevision"),
    # What readers said about the pages: editors read it, and delete it (e.g. personal details left in it).
    ("articles", "view_feedback"),
    ("articles", "delete_feedback"),
    # Deleting pages and FAQ answers: the admin allows it only for a draft the user added themselves and never
    # submitted (articles.editorial.own_drafts); a record from a content file, or one a reviewer has seen,
    # stays. Reviewers get the same, through this list.
    ("articles", "delete_article"),
    ("faq", "delete_question"),
]
# Reviewers do everything editors do, and approve: publish, and record a clinical review with its date.
CLINICAL_REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("articles", "publish_article"),
    ("articles", "add_clinicalreview"),
    ("articles", "change_clinicalreview"),
    ("faq", "publish_question"),
    ("faq", "add_category"),
    ("faq", "change_category"),
    # A shared block (an emergency card, say) is live on every page that uses it as soon as it is saved.
    ("articles", "add_sharedblock"),
    ("articles", "change_sharedblock"),
    ("articles", "delete_sharedblock"),
    # So is a decision aid option: a figure or a risk a reader weighs, on the options page.
    ("articles", "add_decisionoption"),
    ("articles", "change_decisionoption"),
    ("articles", "delete_decisionoption"),
]
ROLE_PERMISSIONS = {EDITOR: EDITOR_PERMISSIONS, CLINICAL_REVIEWER: CLINICAL_REVIEWER_PERMISSIONS}


def sync_groups(group_model: type, permission_model: type) -> None:
    """Create or update both groups with their permissions (for a test whose database was flushed). The
    migrations grant the same permissions with frozen copies of these lists; tests/test_workflow.py checks
    that every permission listed here ends up held."""
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        held = [
            permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            for app_label, codename in permissions
        ]
        group.permissions.set([permission for permission in held if permission is not None])
