"""Forms shared by every part of the app."""

from flask_wtf import FlaskForm


class PlainForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons."""
