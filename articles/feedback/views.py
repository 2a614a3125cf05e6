"""Reader feedback on topic pages: "Was this page helpful?" (yes or no), then an optional comment.

Two plain HTML form posts, no JavaScript. The yes/no post stores a row and answers with a thank-you page that
carries a signed, short-lived token for that row; the comment post presents the token to add the comment to
the same row. Nothing that identifies a reader is stored (see articles.models.Feedback).
"""

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article, Feedback
from articles.web.cache_guard import cache_call
from articles.web.client_ip import client_ip

COMMENT_MAX_CHARS = 1000
# Long enough to write a few sentences at a slow pace (readers may be in the middle of a migraine), short
# enough that a leaked token is soon useless.
TOKEN_MAX_AGE_SECONDS = 30 * 60
TOKEN_SALT = "articles.feedback.comment"
RATE_LIMIT_POSTS = 10
RATE_LIMIT_WINDOW_SECONDS = 60 * 60

ANSWERS = {"yes": True, "no": False}


def client_rate_key(request: HttpRequest) -> str:
    """The cache key for this client's feedback count.

    The address is only ever seen as an HMAC keyed with SECRET_KEY, and that hash lives only in the cache for
    the rate window: the database never holds anything that points back to a reader.
    """
    address = client_ip(request)
    return "feedback-rate:" + salted_hmac("articles.feedback.rate", address, algorithm="sha256").hexdigest()


def over_rate_limit(request: HttpRequest) -> bool:
    """Count this post against the client's hour; True once it is past the limit.

    Every post counts, valid or not, so that bad posts cannot be used to probe for free. add() then incr()
    keeps the count atomic in a shared cache such as Redis.
    """
    key = client_rate_key(request)

    def count_post() -> int:
        cache.add(key, 0, timeout=RATE_LIMIT_WINDOW_SECONDS)
        try:
            return cache.incr(key)
        except ValueError:
            # The entry expired between add() and incr(): this post starts a new window.
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS)
            return 1

    # With the cache unreachable the post is let through (and a warning logged): a reader is never refused
    # because of our outage.
    return cache_call("count feedback posts", count_post, 0) > RATE_LIMIT_POSTS


def problem(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """A plain page saying what went wrong, in the site's frame so the disclaimer still shows."""
    return render(request, "articles/feedback_problem.html", {"message": message}, status=status)


def too_many(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        "We have had a lot of feedback from your connection in the last hour, so we did not save this. "
        "Please try again later.",
        status=429,
    )


def clean_comment(raw: str) -> str:
    # Browsers send line breaks as CRLF but count them as one character against maxlength: count them the
    # same way, so a comment the form accepted is never refused here.
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


# No CSRF token on the yes/no form: it is on every cached topic page, and a token would make each reader's
# copy different. CSRF guards what a signed-in user may do; this form needs no sign-in and is open to anyone,
# so a forged post could do nothing a direct one cannot (and it is rate-limited). The comment form that
# follows, on an uncached page, keeps its token.
@csrf_exempt
@never_cache
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """Store a yes/no answer for a published topic page, then offer the optional comment form."""
    if over_rate_limit(request):
        return too_many(request)
    slug = request.POST.get("page", "")
    answer = request.POST.get("helpful", "")
    if not slug or answer not in ANSWERS:
        return problem(request, "Something was missing from the form, so we did not save your answer.")
    article = get_object_or_404(Article.objects.published().topics(), slug=slug)
    row = Feedback.objects.create(article=article, helpful=ANSWERS[answer])
    # A signed token rather than the row's id: nobody can attach a comment to someone else's answer.
    token = signing.dumps(row.pk, salt=TOKEN_SALT)
    context = {"article": article, "token": token, "helpful": row.helpful, "max_chars": COMMENT_MAX_CHARS}
    return render(request, "articles/feedback_thanks.html", context)


@never_cache
@require_POST
def feedback_comment(request: HttpRequest) -> HttpResponse:
    """Add the optional comment to the answer the token names. The comment is never shown back."""
    if over_rate_limit(request):
        return too_many(request)
    try:
        pk = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return problem(
            request,
            "The comment form was open for too long, so we did not save your comment. "
            "Your yes or no answer was saved.",
        )
    except signing.BadSignature:
        return problem(request, "This comment form is not valid, so we did not save your comment.")
    comment = clean_comment(request.POST.get("comment", ""))
    if not comment:
        return problem(request, "The comment was empty, so there was nothing to save.")
    if len(comment) > COMMENT_MAX_CHARS:
        return problem(
            request,
            f"The comment was longer than {COMMENT_MAX_CHARS} characters, so we did not save it. "
            "Please go back and make it shorter.",
        )
    if "\x00" in comment:
        # PostgreSQL cannot store a NUL character; no real comment contains one.
        return problem(request, "The comment contained a character we cannot save.")
    # One comment per answer: the update only matches a row still without one, so a token cannot be replayed
    # to overwrite a comment already sent.
    # (The row is read first only for the link back to its page; an editor may have deleted it meanwhile.)
    row = Feedback.objects.select_related("article").filter(pk=pk).first()
    if row is None or not Feedback.objects.filter(pk=pk, comment="").update(comment=comment):
        return problem(request, "We could not save this comment. A comment may already have been sent.")
    return render(request, "articles/feedback_thanks.html", {"article": row.article, "comment_saved": True})
