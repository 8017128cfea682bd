"""The floor: the least a Django view on this stack can do for one form submission.

Same middleware (CSRF checked), same POST body parsed, one row inserted with a plain
cursor in autocommit, a 302 like the real registration view. Nothing under it can be
optimised away by the application, so the registration path is measured against it.
The table is created by ``bench/registration.py``.
"""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token


def floor(request):
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_floor (email) VALUES (%s) RETURNING id",
                [request.POST.get("email", "")],
            )
            (row_id,) = cursor.fetchone()
        return HttpResponseRedirect(f"/floor/{row_id}/")
    token = get_token(request)
    return HttpResponse(
        '<form method="post">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        "</form>"
    )
