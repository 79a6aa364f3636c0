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

from app.password_rules import MIN_LENGTH_ALONE, password_problem
from registration.anumbers import parse_a_number_list
from registration.identifiers import (
    US_JURISDICTIONS,
    IdentifierError,
    normalise_bar_number,
    normalise_eoir_id,
)
from registration.names import NameProblem, clean_firm_name, clean_person_name
from registration.practice_office import QUESTION, PracticeOfficeError, office_for

REQUEST_MAX_A_NUMBERS = 50
_LIST_ONE = "List at least one A-Number, one per line."

STATE_CHOICES = [SelectChoice("", "— none —")] + [
    SelectChoice(s, s) for s in sorted(US_JURISDICTIONS)
]


class PlainDateField(DateField):
    """A date field whose error says what it expects, instead of "Not a valid date value"."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            shown = " ".join(valuelist)[:20]
            raise ValueError(f"“{shown}” is not a date: write it as 2024-03-31.") from None


def _a_number_list(field: TextAreaField, limit: int = 50) -> list[str]:
    """The A-Numbers of a list field; each bad item is its own error, naming its line."""
    numbers, errors = parse_a_number_list(field.data or "")
    if errors:
        field.errors.extend(errors[:-1])
        raise ValidationError(errors[-1])
    if not numbers:
        raise ValidationError(_LIST_ONE)
    if len(numbers) > limit:
        raise ValidationError(f"List at most {limit} A-Numbers.")
    return numbers


class IdentifierForm(FlaskForm):
    """Bar admission and EOIR ID, normalised as E-28 records are."""

    bar_state = SelectField("Bar admission: state", choices=STATE_CHOICES, default="")
    bar_number = StringField(
        "Bar number",
        validators=[Length(max=40, message="A bar number is at most 40 characters.")],
    )
    eoir_id = StringField(
        "EOIR ID", validators=[Length(max=20, message="An EOIR ID is at most 20 characters.")]
    )

    def validate_bar_number(self, field: StringField) -> None:
        try:
            field.data = normalise_bar_number(field.data, self.bar_state.data or None)
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


class PracticeOfficeForm(FlaskForm):
    """The field office where most of the attorney's cases are; the words are the service's.
    The view fills the choices (registration.practice_office.choices)."""

    practice_office = SelectField(QUESTION, validate_choice=False)

    chosen_office_id: int

    def validate_practice_office(self, field: SelectField) -> None:
        try:
            self.chosen_office_id = office_for(field.data).id
        except PracticeOfficeError as exc:
            raise ValidationError(str(exc)) from None


class RegistrationForm(IdentifierForm, PracticeOfficeForm):
    full_name = StringField("Full name", validators=[InputRequired("Give your full name.")])
    email = EmailField(
        "E-mail",
        validators=[
            InputRequired("Give your e-mail address."),
            Email("Give an e-mail address like name@example.com."),
            Length(max=254, message="An e-mail address is at most 254 characters."),
        ],
    )
    password = PasswordField(
        f"Password (at least {MIN_LENGTH_ALONE} characters; a few unrelated words make a good one)",
        validators=[InputRequired(message="Choose a password.")],
    )
    password_again = PasswordField(
        "Password again",
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", message="The passwords do not match."),
        ],
    )
    firm = StringField("Firm or organisation")
    phone = StringField(
        "Phone",
        validators=[
            InputRequired("Give a phone number OCC staff can call."),
            Length(min=7, max=32, message="A phone number has 7 to 32 characters."),
        ],
    )
    mailing_address = TextAreaField(
        "Mailing address",
        validators=[
            InputRequired("Give your mailing address."),
            Length(max=1000, message="The mailing address may be at most 1,000 characters."),
        ],
    )
    # Again here, so that the page and its error summary list it after the address.
    practice_office = SelectField(QUESTION, validate_choice=False)
    a_numbers = TextAreaField(
        "A-Numbers of respondents for whom you filed an E-28 (one per line)",
        validators=[InputRequired(_LIST_ONE)],
    )

    parsed_a_numbers: list[str]

    def validate_full_name(self, field: StringField) -> None:
        try:
            field.data = clean_person_name(field.data)
        except NameProblem as exc:
            raise ValidationError(str(exc)) from None

    def validate_firm(self, field: StringField) -> None:
        try:
            field.data = clean_firm_name(field.data)
        except NameProblem as exc:
            raise ValidationError(str(exc)) from None

    def validate_a_numbers(self, field: TextAreaField) -> None:
        self.parsed_a_numbers = _a_number_list(field)

    def validate_password(self, field: PasswordField) -> None:
        context = [self.email.data or "", self.full_name.data or "", self.firm.data or ""]
        problem = password_problem(field.data or "", context=context)
        if problem:
            raise ValidationError(problem)


class ANumberRequestForm(FlaskForm):
    a_numbers = TextAreaField(
        "A-Numbers of respondents for whom you filed an E-28 (one per line)",
        validators=[InputRequired(_LIST_ONE)],
    )

    parsed_a_numbers: list[str]

    def validate_a_numbers(self, field: TextAreaField) -> None:
        self.parsed_a_numbers = _a_number_list(field, limit=REQUEST_MAX_A_NUMBERS)


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("verify", "Verify"), SelectChoice("reject", "Reject")]
    )
    reason = TextAreaField(
        "Reason (required to reject; sent to the attorney)",
        validators=[Length(max=2000, message="The reason may be at most 2,000 characters.")],
    )


class AppearanceForm(FlaskForm):
    a_number = StringField("A-Number", validators=[InputRequired("Give the A-Number of the E-28.")])
    attorney_name = StringField(
        "Attorney name",
        validators=[
            InputRequired("Give the attorney's name as the E-28 shows it."),
            Length(max=200, message="The name may be at most 200 characters."),
        ],
    )
    bar_state = SelectField("Bar state", choices=STATE_CHOICES, default="")
    bar_number = StringField(
        "Bar number",
        validators=[Optional(), Length(max=32, message="A bar number is at most 32 characters.")],
    )
    eoir_id = StringField(
        "EOIR ID",
        validators=[Optional(), Length(max=16, message="An EOIR ID is at most 16 characters.")],
    )
    filed_on = PlainDateField(
        "Date the E-28 was filed (year-month-day)",
        validators=[InputRequired("Give the date the E-28 was filed.")],
    )


class RequestDecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("grant", "Grant"), SelectChoice("refuse", "Refuse")]
    )
    reason = TextAreaField(
        "Reason (required to refuse, or to grant an A-Number no E-28 record matches; sent to "
        "the attorney)",
        validators=[Length(max=2000, message="The reason may be at most 2,000 characters.")],
    )
    e28_filed_on = PlainDateField(
        "E-28 filed on (optional: adds an E-28 record naming this attorney for each A-Number "
        "that has none)",
        validators=[Optional()],
    )


class SuspensionForm(FlaskForm):
    reason = TextAreaField(
        "Reason (sent to the attorney)",
        validators=[
            InputRequired("Give the reason; the attorney is told it."),
            Length(max=2000, message="The reason may be at most 2,000 characters."),
        ],
    )
