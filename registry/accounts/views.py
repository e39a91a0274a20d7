from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_remembered, login_required, login_user, logout_user

from registry.accounts import services
from registry.accounts.current import current_viewer
from registry.accounts.forms import ChangePasswordForm, SignInForm
from registry.accounts.redirects import safe_next
from registry.errors import Invalid
from registry.extensions import login_manager
from registry.forms import errors_by_field

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to see this page."
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_session)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    errors: dict[str, list[str]] = {}
    next_url = safe_next(request.values.get("next"), url_for("pages.home"))
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        try:
            user = services.authenticate(form.email.data, form.password.data, address)
        except services.TooManyAttempts as error:
            errors["email"] = [str(error)]
        else:
            if user is None:
                errors["email"] = ["The email address or password is not right."]
            else:
                login_user(services.start_session(user), remember=form.remember.data)
                flash(f"Signed in as {user.name}.", "success")
                return redirect(next_url)
    else:
        errors = errors_by_field(form)
    status = 400 if request.method == "POST" and errors else 200
    return render_template("accounts/sign_in.html", form=form, errors=errors, next_url=next_url), status


@bp.post("/sign-out")
@login_required
def sign_out():
    services.end_all_sessions(current_viewer())
    logout_user()
    flash("You have signed out on every device.", "success")
    return redirect(url_for("pages.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        # The new sign-in replaces this browser's old one; keep "keep me signed in" if it was on.
        remembered = login_remembered()
        try:
            user = services.change_password(
                current_viewer(), form.current_password.data, form.new_password.data
            )
        except Invalid as error:
            errors = error.errors
        else:
            login_user(user, remember=remembered)
            flash("Password changed. Other devices have been signed out.", "success")
            return redirect(url_for("pages.home"))
    else:
        errors = errors_by_field(form)
    status = 400 if request.method == "POST" and errors else 200
    return render_template("accounts/change_password.html", form=form, errors=errors), status
