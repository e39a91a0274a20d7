"""Domain exceptions raised by services, and the error pages and JSON errors users see."""

from flask import Flask, abort, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from registry.tools.rules import size_limit


class Invalid(Exception):
    """Field name -> messages; views put them beside the fields on the same form."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(Exception):
    pass


class NotFound(Exception):
    pass


class Conflict(Exception):
    """Someone else saved first; the caller still has everything the user typed."""

    def __init__(self, latest_version: int, saved_by: str, saved_at):
        super().__init__(f"revision {latest_version} was saved meanwhile")
        self.latest_version = latest_version
        self.saved_by = saved_by
        self.saved_at = saved_at


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_in_path():
        # No slug, tag or name contains NUL, and PostgreSQL refuses it in a query parameter
        # (a 500 rather than "not found") wherever a path part is looked up.
        if "\x00" in request.path:
            abort(404)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        error.description = (
            "This form has expired or did not come from this site, so nothing was saved. "
            "Go back, reload the page and try again."
        )
        return http_error(error)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        error.description = (
            "What you sent is too large to accept, so nothing was saved. Each file can be up "
            f"to {size_limit()}: go back and choose a smaller file."
        )
        return http_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            return jsonify(error={"status": error.code, "message": error.description}), error.code
        return render_template("error.html", error=error), error.code
