"""The signed-in user's own account: password, e-mail, second factors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("account/index.html", user=current_user)
