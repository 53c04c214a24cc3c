"""Field encryption at rest: AES-256-GCM with a key derived from SECRET_KEY by HKDF-SHA256.

A sealed value is `version byte || 12-byte nonce || ciphertext+tag`. The row's id is
bound as associated data, so a ciphertext copied onto another row does not decrypt.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.settings import get_settings

KEY_VERSION = 1
_SALT = b"county-market/suppliers"


@lru_cache(maxsize=8)
def _key(secret_key: str, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_SALT, info=f"{purpose}/v{KEY_VERSION}".encode()
    ).derive(secret_key.encode())


def seal(plaintext: str, *, purpose: str, bound_to: str) -> bytes:
    nonce = os.urandom(12)
    aead = AESGCM(_key(get_settings().secret_key, purpose))
    return bytes([KEY_VERSION]) + nonce + aead.encrypt(nonce, plaintext.encode(), bound_to.encode())


def open_sealed(sealed: bytes, *, purpose: str, bound_to: str) -> str:
    if not sealed or sealed[0] != KEY_VERSION:
        raise ValueError("unknown key version")
    nonce, ciphertext = sealed[1:13], sealed[13:]
    aead = AESGCM(_key(get_settings().secret_key, purpose))
    return aead.decrypt(nonce, ciphertext, bound_to.encode()).decode()
