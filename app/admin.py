"""Administration pages: staff accounts, offices and the audit log (administrators only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from app.auth import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def index() -> Any:
    return render_template("admin/index.html")
