"""Every refusal as JSON ``{"detail": ..., "field": ...}``: the API never answers with an HTML page or a 500."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from graduated.api.auth import RateLimited, WriteScopeRequired
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import StaleEditError

logger = logging.getLogger("graduated.api")


class FormRefused(Exception):
    """A write the form's own validation refused: the first message, its field, and all of them."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("invalid")


def _field(loc: list[Any]) -> str | None:
    # ninja's locations read ("path", "pupil_id") or ("body", "payload", "rank"): the last name counts.
    names = [str(part) for part in loc if part not in ("path", "query", "body", "payload", "header")]
    return names[-1] if names else None


def install(api: NinjaAPI) -> None:
    def answer(request: HttpRequest, status: int, detail: str, field: str | None = None, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "field": field, **extra}, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
        first = error.errors[0] if error.errors else {}
        loc = list(first.get("loc", []))
        detail = str(first.get("msg", "The request is not valid."))
        if first.get("type") == "json_invalid":
            detail = "The request body is not valid JSON."
        errors = [{"field": _field(list(e.get("loc", []))), "message": str(e.get("msg", ""))} for e in error.errors]
        return answer(request, 422, detail, _field(loc), errors=errors)

    @api.exception_handler(FormRefused)
    def refused(request: HttpRequest, error: FormRefused) -> HttpResponse:
        field, messages = next(iter(error.errors.items()))
        errors = [
            {"field": None if name == "__all__" else name, "message": m}
            for name, ms in error.errors.items()
            for m in ms
        ]
        return answer(request, 422, messages[0], None if field == "__all__" else field, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def rule(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
        # A service re-checking a rule against the stored record (it may have moved on since the form).
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return refused(request, FormRefused(errors))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = answer(request, 401, "Send a valid, unexpired API token: Authorization: Bearer grd_…")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(WriteScopeRequired)
    def read_only(request: HttpRequest, error: WriteScopeRequired) -> HttpResponse:
        return answer(request, 403, "This token may only read. Create a token with the write scope.")

    @api.exception_handler(RateLimited)
    def too_many(request: HttpRequest, error: RateLimited) -> HttpResponse:
        response = answer(request, 429, str(error))
        response["Retry-After"] = str(error.retry_after)
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return answer(request, 404, str(error) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return answer(request, 403, str(error) or "Your role does not allow this.")

    @api.exception_handler(StaleEditError)
    def stale(request: HttpRequest, error: StaleEditError) -> HttpResponse:
        return answer(request, 409, error.message, "version", saved_version=error.saved_version)

    @api.exception_handler(ServiceError)
    def service(request: HttpRequest, error: ServiceError) -> HttpResponse:
        return answer(request, 422, error.message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return answer(request, error.status_code, str(error))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
        # Logged with its traceback for the operators; the caller gets JSON, not Django's HTML page.
        logger.exception("API error on %s", request.path)
        return answer(request, 500, "Something went wrong on our side. Nothing was changed.")
