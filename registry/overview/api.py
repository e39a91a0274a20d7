"""/api/v1/overview: the overview's figures as JSON, for the same audience rules as the page."""

from flask import Blueprint, jsonify

from registry.accounts.current import current_viewer
from registry.overview import services

bp = Blueprint("overview_api", __name__, url_prefix="/api/v1")


@bp.get("/overview")
def overview():
    found = services.overview(current_viewer())
    return jsonify(
        audience=found.audience,
        counts_include=found.counts_include,
        headlines={headline.key: headline.value for headline in found.headlines},
        tables={
            table.key: {
                "title": table.title,
                "columns": list(table.columns),
                "rows": table.plain_rows(),
            }
            for table in found.tables
        },
    )
