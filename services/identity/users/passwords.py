from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id at OWASP's recommended cost (Password Storage Cheat Sheet: 19 MiB, 2 passes, one
# lane). argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took 0.4 s of this 2-core server's
# CPU per sign-in when idle, about 1 s under load, and 64 MiB per sign-in at once. Hashes made
# with other parameters still verify; a sign-in stores the password again at this cost.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verifying against this when the login is unknown keeps response times alike. Made on
# first use: at import it cost every process that imports identity one hash (~60 ms idle).
_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher.hash("not-a-real-password"))
    return _DUMMY_HASH[0]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False
