"""Registration and staff forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from app.users import MIN_PASSWORD_LENGTH
from registration.anumbers import parse_a_number_list
from registration.identifiers import (
    US_JURISDICTIONS,
    IdentifierError,
    normalise_bar_number,
    normalise_eoir_id,
)

STATE_CHOICES = [SelectChoice("", "— none —")] + [
    SelectChoice(s, s) for s in sorted(US_JURISDICTIONS)
]


class RegistrationForm(FlaskForm):
    full_name = StringField("Full name", validators=[InputRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(
        f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
        validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    password_again = PasswordField(
        "Password again",
        validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    bar_state = SelectField("Bar admission: state", choices=STATE_CHOICES, default="")
    bar_number = StringField("Bar number", validators=[Length(max=32)])
    eoir_id = StringField("EOIR ID", validators=[Length(max=16)])
    firm = StringField("Firm or organisation", validators=[Optional(), Length(max=200)])
    phone = StringField("Phone", validators=[InputRequired(), Length(min=7, max=32)])
    mailing_address = TextAreaField(
        "Mailing address", validators=[InputRequired(), Length(max=1000)]
    )
    a_numbers = TextAreaField(
        "A-Numbers of respondents for whom you filed an E-28 (one per line)",
        validators=[InputRequired()],
    )

    parsed_a_numbers: list[str]

    def validate_bar_number(self, field: StringField) -> None:
        try:
            field.data = normalise_bar_number(field.data)
        except IdentifierError as exc:
            raise ValidationError(str(exc)) from None
        if bool(field.data) != bool(self.bar_state.data):
            raise ValidationError("Give both the state and the number of your bar admission.")

    def validate_eoir_id(self, field: StringField) -> None:
        try:
            field.data = normalise_eoir_id(field.data)
        except IdentifierError as exc:
            raise ValidationError(str(exc)) from None
        if not field.data and not (self.bar_state.data and self.bar_number.data):
            raise ValidationError("Give a bar admission (state and number), an EOIR ID, or both.")

    def validate_a_numbers(self, field: TextAreaField) -> None:
        numbers, errors = parse_a_number_list(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))
        if not numbers:
            raise ValidationError("List at least one A-Number.")
        if len(numbers) > 50:
            raise ValidationError("List at most 50 A-Numbers.")
        self.parsed_a_numbers = numbers


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("verify", "Verify"), SelectChoice("reject", "Reject")]
    )
    reason = TextAreaField(
        "Reason (required to reject; sent to the attorney)", validators=[Length(max=2000)]
    )


class AppearanceForm(FlaskForm):
    a_number = StringField("A-Number", validators=[InputRequired()])
    attorney_name = StringField("Attorney name", validators=[InputRequired(), Length(max=200)])
    bar_state = SelectField("Bar state", choices=STATE_CHOICES, default="")
    bar_number = StringField("Bar number", validators=[Optional(), Length(max=32)])
    eoir_id = StringField("EOIR ID", validators=[Optional(), Length(max=16)])
    filed_on = DateField("Date the E-28 was filed", validators=[InputRequired()])
