"""Password hashing with argon2 and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY

from keyvex.errors import Invalid


def make_hasher(env: str) -> PasswordHasher:
    """RFC 9106's low-memory profile; the test environment uses the cheapest one for speed."""
    profile = CHEAPEST if env == "test" else RFC_9106_LOW_MEMORY
    return PasswordHasher.from_parameters(profile)


_DUMMY: dict[int, str] = {}


def verify_password(hasher: PasswordHasher, stored: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and fail (no user probing)."""
    if stored is None:
        key = id(hasher)
        if key not in _DUMMY:
            _DUMMY[key] = hasher.hash("not-a-real-password")
        stored, password = _DUMMY[key], "wrong" + password
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str, min_length: int, field: str = "password") -> None:
    if len(password) < min_length:
        raise Invalid(
            "The password is too short.",
            fields={field: f"Use at least {min_length} characters."},
        )
    if len(password) > 1024:
        raise Invalid("The password is too long.", fields={field: "Use at most 1024 characters."})
