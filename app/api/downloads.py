"""Files the API hands out to be saved: named after what they hold and when they were made."""

from __future__ import annotations

from flask import Response

from app.runtime import runtime


def csv_file(text: str, name: str) -> Response:
    """`text` as `<name>-<YYYYmmdd-HHMM>.csv`, to download (spreadsheets open it directly)."""
    stamp = runtime().clock.now().strftime("%Y%m%d-%H%M")
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'},
    )
