"""The built-in reference front-end: static files under ``/ui/`` that use only the public JSON API.

Plain HTML, JavaScript modules and CSS from ``app/ui`` (no build step, nothing from a CDN). Neither the
mount nor the ``/`` redirect appears in the OpenAPI spec: they are pages, not API.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
UI_PATH = "/ui"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def root() -> RedirectResponse:
    """The site root opens the reference page."""
    return RedirectResponse(f"{UI_PATH}/", status_code=307)


def mount_ui(app: FastAPI) -> None:
    """Serve ``app/ui`` at ``/ui/`` (``index.html`` for the folder) and redirect ``/`` there."""
    app.mount(UI_PATH, StaticFiles(directory=UI_DIR, html=True), name="ui")
    app.include_router(router)
