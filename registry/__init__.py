"""Cluster Commons: the QI project registry for Scotland's GP clusters."""

from pathlib import Path

from flask import Flask

from registry import config, extensions


class ConfigurationError(RuntimeError):
    pass


def create_app(test_config: dict | None = None) -> Flask:
    """Wire configuration, extensions, blueprints and commands; never touch data."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config.Defaults)
    if test_config is None:
        app.config.from_prefixed_env("REGISTRY")
    else:
        app.config.update(test_config)
    _resolve_paths(app)
    _require_secret_key(app)
    if app.debug or app.testing:
        # Plain-HTTP development servers and test clients would drop Secure cookies.
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)

    extensions.init_app(app)

    from registry import api, cli, errors, pages, templating
    from registry.accounts import views as accounts
    from registry.feeds import views as feeds
    from registry.organisations import views as organisations
    from registry.overview import api as overview_api
    from registry.overview import views as overview
    from registry.projects import reuse_views as reuse
    from registry.projects import views as projects
    from registry.search import api as search_api
    from registry.search import services as search
    from registry.search import views as search_views
    from registry.showcases import api as showcases_api
    from registry.showcases import views as showcases
    from registry.tools import api as tools_api
    from registry.tools import views as tools

    app.extensions["search_index"] = search.create_index(
        app.config["INDEX_DIR"], app.config["CONTENT_DIR"], app.config["SEARCH_TIME_LIMIT"]
    )
    blueprints = (pages.bp, accounts.bp, organisations.bp, projects.bp, search_views.bp, api.bp,
                  search_api.bp, showcases.bp, showcases_api.bp, overview.bp, overview_api.bp,
                  feeds.bp, tools.bp, tools_api.bp, reuse.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    errors.register(app)
    templating.register(app)
    cli.register(app)
    return app


def _resolve_paths(app: Flask) -> None:
    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'registry.db'}"
    for key, default in (("INDEX_DIR", "index"), ("UPLOAD_DIR", "uploads")):
        app.config[key] = str(app.config.get(key) or instance / default)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]


def _require_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY") or app.debug or app.testing:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = "development-only-not-secret"
        return
    raise ConfigurationError(
        "REGISTRY_SECRET_KEY is not set: set it to a long random value "
        '(python -c "import secrets; print(secrets.token_hex(32))") before starting the app.'
    )
