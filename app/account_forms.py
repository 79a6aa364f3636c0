"""Forms of the account pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

_PASSWORD = [InputRequired(message="Enter your current password."), Length(max=200)]


class NewPasswordForm(FlaskForm):
    new = PasswordField(
        "New password",
        validators=[InputRequired(message="Choose a new password."), Length(max=200)],
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            InputRequired(message="Type the new password again."),
            EqualTo("new", message="The two new passwords differ."),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField("Current password", validators=_PASSWORD)


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(
        "New e-mail address",
        validators=[
            InputRequired(message="Give the new e-mail address."),
            Email(message="That is not an e-mail address.", check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField("Current password", validators=_PASSWORD)


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "E-mail address of your account",
        validators=[InputRequired(message="Give your e-mail address."), Length(max=254)],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[InputRequired(message="Enter the code."), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ConfirmIdentityForm(FlaskForm):
    password = PasswordField("Password", validators=[Length(max=200)])
    code = StringField(
        "Or a code from your authenticator app",
        validators=[Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    next = HiddenField()


class PasskeyNameForm(FlaskForm):
    name = StringField("Name of this passkey", validators=[Length(max=100)])
