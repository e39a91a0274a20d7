from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

# Nobody's email contains invisible characters, and PostgreSQL refuses NUL in a query.
_PLAIN_EMAIL = Regexp(
    r"^[^\x00-\x1f\x7f]*$", message="Enter your email address without invisible characters."
)


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address."), Length(max=254), _PLAIN_EMAIL],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device (up to 12 hours)")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired("Enter a new password.")]
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[
            DataRequired("Enter the new password again."),
            EqualTo("new_password", "The two new passwords do not match."),
        ],
    )
