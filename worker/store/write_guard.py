"""What a request that changes the store must show before it is read: an editor's token, sent as
``Authorization: Bearer TOKEN``, and no sign of a forged cross-site request.

Browsers never add an ``Authorization`` header by themselves (unlike cookies), so a page of another
site cannot write with an editor's rights; on top of that a write is refused when its ``Origin`` (or
``Sec-Fetch-Site``) says it comes from another site, and unless its body is declared
``application/json``, which an HTML form cannot send (a cross-site ``fetch`` with it needs a CORS
preflight that this server never grants).

The order of the checks decides the answer: forgery signs 403 (``cross_origin``), a body that is not
JSON 415 (``unsupported_media_type``), no token 401 (``no_token``), a token no editor has 401
(``bad_token``), a revoked editor 403 (``revoked``).
"""

from __future__ import annotations

from starlette.requests import Request

from worker.store.database import Database
from worker.store.editors import Editor, editor_of_token
from worker.store.queries import QueryError

JSON_MEDIA_TYPE = "application/json"
SAME_SITE = ("same-origin", "none")  # Sec-Fetch-Site values of the page itself or a typed request


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without one, '' for a malformed one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def own_origin(request: Request) -> str:
    """This server's origin as the client addressed it (scheme and Host header)."""
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def forgery(request: Request, needs_body: bool = True) -> QueryError | None:
    """Refusal of a request another site could have made the browser send; None when it is not."""
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        return QueryError(
            "cross_origin", f"a write from another origin ({origin}) is refused: use this server's pages"
        )
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in SAME_SITE:
        return QueryError("cross_origin", f"a write from another site (Sec-Fetch-Site: {site}) is refused")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if needs_body and media != JSON_MEDIA_TYPE:
        return QueryError(
            "unsupported_media_type", f"the body must be {JSON_MEDIA_TYPE}, not {media or 'undeclared'}"
        )
    return None


def editor_of(db: Database, token: str | None) -> tuple[Editor | None, QueryError | None]:
    """The editor a token names, and the refusal when it may not write."""
    if token is None:
        return None, QueryError(
            "no_token",
            "writing needs an editor's token: Authorization: Bearer TOKEN (quote-worker editors add)",
        )
    editor = editor_of_token(db, token) if token else None
    if editor is None:
        return None, QueryError("bad_token", "no editor has this token")
    if editor.revoked:
        return editor, QueryError("revoked", f"the token of {editor.name!r} was revoked")
    return editor, None
