"""The form for serving a document set, and staff decision and token forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from filings.rules import DOCUMENT_TYPE_LABELS, MAX_TITLE


class ServeForm(FlaskForm):
    """Field-level checks live in filings.services (one rule for the form and the API)."""

    office = SelectField("OCC field office", validators=[InputRequired()])
    a_number = StringField("Respondent's A-Number", validators=[InputRequired()])
    document_type = SelectField(
        "Document type",
        choices=[SelectChoice(str(k), v) for k, v in DOCUMENT_TYPE_LABELS.items()],
        validators=[InputRequired()],
    )
    includes_e28 = BooleanField("This set includes my E-28 for this respondent")
    title = StringField("Title", validators=[InputRequired(), Length(max=MAX_TITLE)])
    next_hearing_on = DateField("Next hearing date", validators=[Optional()])
    detained = BooleanField("The respondent is detained")
    # One per form page: a double-click or a resent form returns the first receipt.
    submission_id = HiddenField()


class StaffDecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("accept", "Accept"), SelectChoice("reject", "Reject")]
    )
    reason = TextAreaField(
        "Reason (required to reject; sent to the attorney)", validators=[Length(max=2000)]
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Name (e.g. the case-management software)", validators=[InputRequired(), Length(max=100)]
    )
