"""Accounts through the real pages: sign in and out, password hashing, throttling kept in the
database, revocable sessions (sign-out everywhere, password change, remember-me, idle and
absolute expiry), cookie flags, the secret-key check, safe `next` redirects and CSRF."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import argon2
import pytest
from markupsafe import escape
from sqlalchemy import func, select, update

from registry import ConfigurationError, create_app
from registry.accounts import services as accounts
from registry.accounts.models import LoginFailure, SignIn, User
from registry.config import Defaults
from registry.extensions import db
from registry.organisations.models import Cluster, Practice
from registry.projects.models import Project
from registry.timeutil import aware, utcnow
from tests.conftest import PASSWORD, make_config

HOST = "commons.test"
SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"
NEW_PASSWORD = "a quite different passphrase"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def is_signed_in(client) -> bool:
    """Whether the client's cookies still open a page that needs a signed-in user."""
    response = client.get("/account/password")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def sign_in_as(client, user, password: str = PASSWORD, remember: bool = False):
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/sign-in", data=data)


def browser(app, user, remember: bool = False):
    """Another browser, signed in as `user`."""
    other = app.test_client()
    assert sign_in_as(other, user, remember=remember).status_code == 302
    return other


def drop_session_cookie(client) -> None:
    """What closing the browser does: the session cookie goes, the remember cookie stays."""
    client.delete_cookie(SESSION_COOKIE, domain=HOST)


def set_cookie_header(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


def sign_in_rows(user) -> list[SignIn]:
    db.session.rollback()  # see writes made by other connections
    return list(db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)))


def stored_hash(user) -> str:
    db.session.rollback()
    return db.session.scalar(select(User.password_hash).where(User.id == user.id))


def other_app(database_url, tmp_path, **overrides):
    """A second instance of the app on the same database: another worker process's view."""
    return create_app(make_config(tmp_path / "other", database_url, **overrides))


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def database_state() -> dict:
    """Everything a state-changing POST could alter, read fresh from the database."""
    db.session.rollback()
    return {
        "sign_ins": count(SignIn),
        "failures": count(LoginFailure),
        "passwords": sorted(db.session.scalars(select(User.password_hash))),
        "projects": sorted(
            db.session.execute(select(Project.slug, Project.version, Project.is_published)).all()
        ),
        "clusters": sorted(db.session.scalars(select(Cluster.slug))),
        "practices": count(Practice),
    }


# Signing in and out through the pages.


def test_sign_in_and_out_through_the_pages(client, make_user, sign_in):
    user = make_user("coordinator", name="Morag Example")
    form = client.get("/sign-in")
    assert form.status_code == 200
    assert 'name="email"' in form.text and 'name="password"' in form.text

    asked = client.get("/account/password")
    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/sign-in?next=")
    next_url = parse_qs(urlsplit(asked.headers["Location"]).query)["next"][0]

    signed_in = sign_in(user, next_url=next_url)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/account/password"
    home = client.get("/")
    assert "Morag Example" in home.text and "Sign out" in home.text
    assert is_signed_in(client)

    signed_out = client.post("/sign-out")
    assert signed_out.status_code == 302
    assert not is_signed_in(client)
    assert "Morag Example" not in client.get("/").text


def test_email_address_is_matched_whatever_its_case_and_spaces(client, make_user):
    user = make_user("coordinator")
    response = client.post(
        "/sign-in", data={"email": f"  {user.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.parametrize("known_email", [True, False], ids=["wrong-password", "unknown-email"])
def test_failed_sign_in_is_a_field_error_keeping_the_typed_email(client, make_user, known_email):
    user = make_user("coordinator")
    email = user.email if known_email else "nobody@example.nhs.scot"
    typed_password = "not the password at all" if known_email else PASSWORD
    response = client.post("/sign-in", data={"email": email, "password": typed_password})
    assert response.status_code == 400
    # The same message either way: the page does not reveal which accounts exist.
    assert "The email address or password is not right." in response.text
    assert 'id="email-error"' in response.text
    assert f'value="{email}"' in response.text
    assert typed_password not in response.text
    assert not is_signed_in(client)


def test_blank_sign_in_names_each_missing_field(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert "Enter your email address." in response.text
    assert "Enter your password." in response.text


# Password hashing.


def test_passwords_are_stored_as_argon2id_hashes(make_user):
    user = make_user("coordinator")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert argon2.PasswordHasher().verify(user.password_hash, PASSWORD)


def test_production_hashing_uses_argon2_cffi_defaults(database_url, tmp_path, make_user):
    assert Defaults.PASSWORD_HASH_PARAMETERS == {}
    library_defaults = argon2.extract_parameters(argon2.PasswordHasher().hash("anything"))
    cheap_user = make_user("coordinator")  # hashed with the suite's cheap parameters
    assert argon2.extract_parameters(cheap_user.password_hash) != library_defaults

    production = other_app(
        database_url, tmp_path, PASSWORD_HASH_PARAMETERS=Defaults.PASSWORD_HASH_PARAMETERS
    )
    try:
        with production.app_context():
            created = accounts.create_user(
                "new@example.nhs.scot", "New Person", "coordinator", PASSWORD
            )
            assert argon2.extract_parameters(created.password_hash) == library_defaults
        # Signing in upgrades a hash made with weaker parameters.
        assert sign_in_as(production.test_client(), cheap_user).status_code == 302
    finally:
        dispose(production)
    assert argon2.extract_parameters(stored_hash(cheap_user)) == library_defaults


# Throttling.


@pytest.mark.parametrize("failures, allowed", [(4, True), (5, False)])
def test_too_many_failures_lock_the_account_even_against_the_right_password(
    client, make_user, sign_in, failures, allowed
):
    user = make_user("coordinator")
    for _ in range(failures):
        assert sign_in(user, password="a wrong password").status_code == 400
    response = sign_in(user)
    if allowed:
        assert response.status_code == 302
        assert is_signed_in(client)
    else:
        assert response.status_code == 400
        assert "Too many failed sign-ins. Try again in 15 minutes." in response.text
        assert not is_signed_in(client)


def test_throttling_is_per_account_and_lifts_after_the_window(client, make_user, sign_in):
    locked, other = make_user("coordinator"), make_user("coordinator")
    for _ in range(5):
        sign_in(locked, password="a wrong password")
    assert sign_in(locked).status_code == 400
    assert sign_in(other).status_code == 302

    db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    assert sign_in(locked).status_code == 302


def test_throttling_holds_across_app_instances_sharing_the_database(
    client, database_url, tmp_path, make_user, sign_in
):
    user = make_user("coordinator")
    second = other_app(database_url, tmp_path)
    try:
        second_client = second.test_client()
        for _ in range(3):
            assert sign_in(user, password="a wrong password").status_code == 400
        for _ in range(2):
            assert sign_in_as(second_client, user, "a wrong password").status_code == 400
        for refused in (sign_in(user), sign_in_as(second_client, user)):
            assert refused.status_code == 400
            assert "Too many failed sign-ins" in refused.text
    finally:
        dispose(second)
    db.session.rollback()
    assert count(LoginFailure) == 5  # refused attempts are not counted again


# Revocable sessions.


@pytest.mark.parametrize("keep_session_cookie", [True, False])
def test_sign_out_ends_every_session_of_that_user(
    app, client, make_user, sign_in, keep_session_cookie
):
    user, bystander = make_user("coordinator"), make_user("coordinator")
    elsewhere = browser(app, user, remember=True)
    unrelated = browser(app, bystander)
    sign_in(user)

    assert client.post("/sign-out").status_code == 302

    if not keep_session_cookie:
        drop_session_cookie(elsewhere)
    assert not is_signed_in(elsewhere)
    assert sign_in_rows(user) == []
    assert is_signed_in(unrelated)


@pytest.mark.parametrize("remember", [True, False])
def test_changing_password_ends_other_sessions_but_keeps_this_one(
    app, client, make_user, sign_in, remember
):
    user = make_user("coordinator")
    elsewhere = browser(app, user, remember=True)
    sign_in(user, remember=remember)

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(elsewhere)
    assert len(sign_in_rows(user)) == 1
    # "Keep me signed in" still holds (and only if it was chosen) for this browser.
    drop_session_cookie(client)
    assert is_signed_in(client) is remember

    assert sign_in_as(app.test_client(), user).status_code == 400
    assert sign_in_as(app.test_client(), user, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "form, field, message",
    [
        (
            {"current_password": "not my password", "new_password": NEW_PASSWORD},
            "current_password",
            "That is not your current password.",
        ),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password", "at least 12"),
    ],
    ids=["wrong-current", "too-short"],
)
def test_rejected_password_change_changes_nothing(
    app, client, make_user, sign_in, form, field, message
):
    user = make_user("coordinator")
    elsewhere = browser(app, user)
    sign_in(user)
    before = stored_hash(user)

    response = client.post(
        "/account/password", data={**form, "confirm_password": form["new_password"]}
    )
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text and message in response.text
    assert stored_hash(user) == before
    assert is_signed_in(client) and is_signed_in(elsewhere)


@pytest.mark.parametrize("remember", [True, False])
def test_remember_me_outlives_the_session_cookie_only_when_asked(
    client, make_user, sign_in, remember
):
    sign_in(make_user("coordinator"), remember=remember)
    drop_session_cookie(client)
    assert is_signed_in(client) is remember


@pytest.mark.parametrize(
    "created_ago, seen_ago, alive",
    [
        (timedelta(minutes=59), timedelta(minutes=59), True),
        (timedelta(minutes=61), timedelta(minutes=61), False),
        (timedelta(hours=11, minutes=59), timedelta(minutes=5), True),
        (timedelta(hours=12, minutes=1), timedelta(minutes=5), False),
    ],
    ids=["idle-59min", "idle-61min", "age-11h59", "age-12h01"],
)
@pytest.mark.parametrize("remember", [False, True], ids=["session-cookie", "remember-cookie"])
def test_sessions_end_after_an_idle_hour_or_twelve_hours(
    client, make_user, sign_in, created_ago, seen_ago, alive, remember
):
    user = make_user("coordinator")
    sign_in(user, remember=remember)
    now = utcnow()
    db.session.execute(
        update(SignIn)
        .where(SignIn.user_id == user.id)
        .values(created_at=now - created_ago, last_seen_at=now - seen_ago)
    )
    db.session.commit()
    if remember:
        drop_session_cookie(client)

    assert is_signed_in(client) is alive
    rows = sign_in_rows(user)
    assert len(rows) == (1 if alive else 0)
    if alive:  # using the session restarts its idle clock
        assert utcnow() - aware(rows[0].last_seen_at) < timedelta(minutes=1)


# Cookies and the secret key.


def test_cookies_are_http_only_and_same_site_lax(client, make_user, sign_in):
    response = sign_in(make_user("coordinator"), remember=True)
    for name in (SESSION_COOKIE, REMEMBER_COOKIE):
        header = set_cookie_header(response, name)
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert "Secure" not in header  # tests and debug serve plain HTTP


@pytest.mark.parametrize(
    "testing, debug, secure", [(False, False, True), (True, False, False), (False, True, False)]
)
def test_cookies_are_secure_outside_debug_and_testing(tmp_path, database_url, testing, debug, secure):
    built = other_app(database_url, tmp_path, TESTING=testing, DEBUG=debug)
    try:
        assert built.config["SESSION_COOKIE_SECURE"] is secure
        assert built.config["REMEMBER_COOKIE_SECURE"] is secure
        assert built.config["SESSION_COOKIE_HTTPONLY"] and built.config["REMEMBER_COOKIE_HTTPONLY"]
        assert built.config["SESSION_COOKIE_SAMESITE"] == "Lax"
        assert built.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    finally:
        dispose(built)


def test_production_app_sends_secure_cookies(tmp_path, database_url, make_user):
    user = make_user("coordinator")
    production = other_app(
        database_url, tmp_path, TESTING=False, SECRET_KEY="a-real-secret",
        PREFERRED_URL_SCHEME="https",
    )
    try:
        response = sign_in_as(production.test_client(), user, remember=True)
        assert response.status_code == 302
        for name in (SESSION_COOKIE, REMEMBER_COOKIE):
            header = set_cookie_header(response, name)
            assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    finally:
        dispose(production)


@pytest.mark.parametrize(
    "testing, debug, starts", [(False, False, False), (True, False, True), (False, True, True)]
)
def test_secret_key_is_required_outside_debug_and_testing(
    tmp_path, database_url, testing, debug, starts
):
    config = make_config(tmp_path, database_url, TESTING=testing, DEBUG=debug, SECRET_KEY=None)
    if starts:
        dispose(create_app(config))
        return
    with pytest.raises(ConfigurationError) as refused:
        create_app(config)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("REGISTRY_SECRET_KEY is not set")


@pytest.mark.parametrize("secret", [None, "from-the-environment"])
def test_secret_key_comes_from_the_environment(monkeypatch, database_url, secret):
    for name in ("FLASK_DEBUG", "REGISTRY_SECRET_KEY", "REGISTRY_TESTING", "REGISTRY_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    if secret is None:
        with pytest.raises(ConfigurationError, match="REGISTRY_SECRET_KEY"):
            create_app()
        return
    monkeypatch.setenv("REGISTRY_SECRET_KEY", secret)
    built = create_app()
    try:
        assert built.config["SECRET_KEY"] == secret
        assert built.config["SESSION_COOKIE_SECURE"] is True
    finally:
        dispose(built)


# Where to go after signing in.

HOSTILE_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/%5Cevil.example",
    "\t//evil.example",
    "///evil.example",
    "http:evil.example",
]


@pytest.mark.parametrize(
    "target, expected",
    [(target, "/") for target in HOSTILE_NEXT] + [("/ok/path?x=1", "/ok/path?x=1")],
)
def test_next_only_ever_leads_to_a_local_path(client, make_user, sign_in, target, expected):
    form = client.get("/sign-in", query_string={"next": target})
    assert f'name="next" value="{escape(expected)}"' in form.text

    response = sign_in(make_user("coordinator"), next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


# CSRF: every state-changing form refuses a POST without a token.


EDIT_FORM = {
    "title": "Safer valproate prescribing, revised",
    "cluster": "paisley-north",
    "status": "active",
    "role": "intrinsic",
    "visibility": "public",
    "section_aim": "Every woman on valproate has a signed form.",
    "action": "save",
}
CSRF_POSTS = {
    "sign-in": ("/sign-in", {"email": "{email}", "password": PASSWORD}),
    "sign-out": ("/sign-out", {}),
    "change-password": (
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
         "confirm_password": NEW_PASSWORD},
    ),
    "project-create": ("/projects/new", {**EDIT_FORM, "title": "A new project"}),
    "project-edit": ("/projects/safer-valproate-prescribing/edit", {**EDIT_FORM, "version": "1"}),
    "project-publish": ("/projects/a-draft/publish", {}),
    "project-unpublish": ("/projects/safer-valproate-prescribing/unpublish", {}),
    "admin-cluster": (
        "/admin/organisations", {"kind": "cluster", "name": "Johnstone", "hscp": "renfrewshire"}
    ),
    "admin-practice": (
        "/admin/organisations",
        {"kind": "practice", "name": "Abbey Surgery", "cluster": "paisley-north"},
    ),
}


@pytest.mark.parametrize("endpoint", list(CSRF_POSTS))
@pytest.mark.parametrize("csrf_enabled", [True, False], ids=["csrf-on", "csrf-off"])
def test_state_changing_posts_need_a_csrf_token(
    app, client, org, make_user, make_project, sign_in, endpoint, csrf_enabled
):
    admin = make_user("admin")
    make_project()
    make_project(title="A draft", publish=False)
    sign_in(admin)
    url, form = CSRF_POSTS[endpoint]
    form = {key: value.format(email=admin.email) for key, value in form.items()}
    before = database_state()

    app.config["WTF_CSRF_ENABLED"] = csrf_enabled
    response = client.post(url, data=form)

    if csrf_enabled:
        assert response.status_code == 400
        assert "did not come from this site" in response.text
        assert database_state() == before
    else:  # the same request with protection off does change something
        assert response.status_code == 302
        assert database_state() != before


def test_pages_carry_a_working_csrf_token(app, client, make_user):
    user = make_user("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    token = CSRF_FIELD.search(client.get("/sign-in").text).group(1)
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302

    token = CSRF_FIELD.search(client.get("/").text).group(1)  # the sign-out form in the header
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert not is_signed_in(client)
