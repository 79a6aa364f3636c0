"""Forms of staff decisions: the decision, its confirmation, bulk accept, reason templates.
The rules themselves live in filings/decisions.py and filings/reason_templates.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length

from filings.reason_templates import MAX_TEXT, MAX_TITLE


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision",
        choices=[
            SelectChoice("accept", "Accept"),
            SelectChoice("reject", "Reject: tell the attorney why"),
        ],
    )
    # Choices are the office's templates, set by the view.
    template = SelectField(
        "Reason from your office's list (optional)", choices=[], validate_choice=False
    )
    reason = TextAreaField(
        "Reason (required to reject; sent to the attorney)", validators=[Length(max=2000)]
    )


class ConfirmDecisionForm(FlaskForm):
    decision = HiddenField(validators=[AnyOf(["accept", "reject"])])
    reason = HiddenField(validators=[Length(max=2000)])


class ReasonTemplateForm(FlaskForm):
    title = StringField("Title (what staff see in the list)", validators=[Length(max=MAX_TITLE)])
    text = TextAreaField("Reason (what the attorney reads)", validators=[Length(max=MAX_TEXT)])
