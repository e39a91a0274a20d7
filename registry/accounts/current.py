from flask_login import current_user

from registry.accounts.models import User


def current_viewer() -> User | None:
    """The signed-in user, or None for a visitor: what permission checks take."""
    return current_user._get_current_object() if current_user.is_authenticated else None
