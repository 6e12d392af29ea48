"""Password hashing (argon2id) and the password rules, following NCSC guidance: length, not
composition; no expiry; long passphrases and password managers welcome; the most common
passwords refused."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024

# The most used passwords long enough to pass the length rule (from public breach corpora).
_COMMON = frozenset({
    "123456789012", "password1234", "qwertyuiopas", "111111111111", "passwordpassword",
    "iloveyou1234", "qwerty123456", "1q2w3e4r5t6y", "abc123456789", "123123123123",
    "000000000000", "changemechangeme", "letmeinletmein", "welcome12345", "password123!",
    "administrator", "qwertyuiop123", "1234567890qwerty",
})

_hasher = PasswordHasher()


def password_problems(password: str, email: str = "") -> list[str]:
    """Why this password may not be used (empty when it may)."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Password must be {MIN_LENGTH} characters or more")
    elif len(password) > MAX_LENGTH:
        problems.append(f"Password must be {MAX_LENGTH} characters or fewer")
    elif password.lower() in _COMMON or len(set(password)) < 4:
        problems.append("Password is too easy to guess; try three random words")
    elif email and password.lower() == email.lower():
        problems.append("Password must not be your email address")
    return problems


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Verifying against this when the account does not exist keeps sign-in time the same either way.
DUMMY_HASH = _hasher.hash("riskscreen-no-such-account")


def generate_password() -> str:
    """A random password for demo and generated accounts (about 130 bits)."""
    import secrets

    return "-".join(secrets.token_urlsafe(6) for _ in range(4))
