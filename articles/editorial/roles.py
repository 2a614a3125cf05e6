"""The two editorial roles: group names and their permissions. The migrations grant them (with frozen
copies); tests check that the groups hold them."""

EDITOR = "Editor"
CLINICAL_REVIEWER = "Clinical reviewer"

# (app_label, codename). Editors write and submit for review; they cannot publish or record a review.
EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    # A new reference shows nowhere until a page cites it, and that page is reviewed: Editors add them.
    ("articles", "add_reference"),
    ("articles", "view_reference"),
    # Everything else a reader sees, changes proposed apart (below) and published by a reviewer.
    ("articles", "view_glossaryterm"),
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
    # Changes proposed to the disclaimer, a glossary term, a reference or a shared block, likewise.
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
    # The disclaimer, glossary terms and references: changed in place, or changes proposed by an Editor
    # published. A new glossary term shows on the glossary and links from pages at once: reviewers add them.
    ("articles", "change_disclaimer"),
    ("articles", "publish_disclaimer"),
    ("articles", "add_glossaryterm"),
    ("articles", "change_glossaryterm"),
    ("articles", "publish_glossaryterm"),
    ("articles", "change_reference"),
    ("articles", "publish_reference"),
    # A shared block (an emergency card, say) is live on every page that uses it as soon as it is saved.
    ("articles", "add_sharedblock"),
    ("articles", "change_sharedblock"),
    ("articles", "delete_sharedblock"),
    ("articles", "publish_sharedblock"),
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
