"""One error body for every endpoint: {"error": {"code", "message", "field"?}}.

Services raise their own exceptions (PermissionDenied, StaleEdit, InvalidEdit); the
handlers registered in `install_handlers` turn those, ninja's and ours into this body so a
client reads every failure the same way.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kizuna.audit.log import append_entry
from kizuna.registry.services import InvalidEdit, PermissionDenied, StaleEdit


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    status = 400
    code = "bad-request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.headers: dict[str, str] = {}


def _error_kind(name: str, status: int, code: str) -> type[ApiError]:
    """An ApiError subclass that answers `status` with `code` (one line per kind below)."""
    return type(name, (ApiError,), {"status": status, "code": code, "__module__": __name__})


Unauthorized = _error_kind("Unauthorized", 401, "unauthorized")
Forbidden = _error_kind("Forbidden", 403, "forbidden")
NotFound = _error_kind("NotFound", 404, "not-found")
Conflict = _error_kind("Conflict", 409, "conflict")
TooLarge = _error_kind("TooLarge", 413, "too-large")
Invalid = _error_kind("Invalid", 422, "invalid")


class MethodNotAllowed(ApiError):
    status = 405
    code = "method-not-allowed"

    def __init__(self, method: str, allowed: list[str]) -> None:
        super().__init__(f"{method} is not allowed here; use {', '.join(allowed)}")
        self.headers["Allow"] = ", ".join(allowed)


class RateLimited(ApiError):
    status = 429
    code = "rate-limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.headers["Retry-After"] = str(retry_after)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"code": code, "message": message}
    if field:
        detail["field"] = field
    return {"error": detail}


# The statuses each kind of operation may answer with besides its success, for the schema
# (schemathesis checks that every answer is documented).
READ_ERRORS = (401, 403, 404, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422, 429)


def error_responses(statuses: tuple[int, ...]) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


def install_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = respond(request, exc.status, error_body(exc.code, exc.message, exc.field))
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        # ninja's loc is ("body", "payload", "field", ...), ("query", "field") or ("file",
        # "file"): drop the request part and the parameter group name so `field` is what
        # the client sent.
        loc = [str(p) for p in first.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "form", "file"):
            loc = loc[1:]
        if len(loc) > 1 and loc[0] in ("payload", "filters", "page", "fields"):
            loc = loc[1:]
        message = str(first.get("msg", "invalid request"))
        return respond(request, 422, error_body("invalid", message, ".".join(loc) or None))

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return respond(
                request,
                401,
                error_body("unauthorized", "send Authorization: Bearer <token>, or sign in"),
            )
        code = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found"}
        return respond(
            request, exc.status_code, error_body(code.get(exc.status_code, "error"), str(exc))
        )

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not-found", str(exc) or "not found"))

    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # A service refused a visible record to this caller: the log keeps denials (issue 3).
        # The service's own transaction rolled back; this entry commits on its own.
        actor = getattr(getattr(request, "auth", None), "actor", None)
        if actor is not None:
            append_entry(
                actor=actor,
                action="api.denied",
                object_kind="api-request",
                object_id=request.path[:200],
                marking="government-internal",
                after={"method": request.method, "message": str(exc)},
            )
        return respond(request, 403, error_body("forbidden", str(exc)))

    def stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
        return respond(request, 409, error_body("stale-edit", str(exc), "version"))

    def invalid(request: HttpRequest, exc: InvalidEdit) -> HttpResponse:
        message = str(exc).removeprefix(f"{exc.field}: ")
        return respond(request, 422, error_body("invalid", message, exc.field))

    def model_invalid(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
        # A model's full_clean() inside a service: the same 422, naming the first field.
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.message_dict.items()))
            return respond(request, 422, error_body("invalid", " ".join(errors), field))
        return respond(request, 422, error_body("invalid", " ".join(exc.messages)))

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body("too-large", "the request body is too large"))

    api.add_exception_handler(ModelValidationError, model_invalid)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, too_big)  # type: ignore[arg-type]
    api.add_exception_handler(ApiError, api_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, denied)  # type: ignore[arg-type]
    api.add_exception_handler(StaleEdit, stale)  # type: ignore[arg-type]
    api.add_exception_handler(InvalidEdit, invalid)  # type: ignore[arg-type]
