"""The signing key(s): EC P-256, key id = RFC 7638 thumbprint. JWKS lists every loaded key
so a rotated-out key keeps verifying tokens it signed until they expire."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from shared.settings import get_settings


def _generate_pem(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


@lru_cache
def signing_key() -> ECKey:
    settings = get_settings()
    path = Path(settings.jwt_private_key_file)
    if not path.exists():
        if settings.environment == "production":
            raise RuntimeError(f"JWT_PRIVATE_KEY_FILE {path} does not exist")
        _generate_pem(path)
    key = ECKey.import_key(path.read_bytes())
    key.ensure_kid()
    return key


def previous_keys() -> list[ECKey]:
    """Keys kept for verification only: files named `<key file>.previous*`."""
    path = Path(get_settings().jwt_private_key_file)
    keys = []
    for old in sorted(path.parent.glob(path.name + ".previous*")):
        key = ECKey.import_key(old.read_bytes())
        key.ensure_kid()
        keys.append(key)
    return keys


def jwks() -> dict[str, Any]:
    keys = [signing_key(), *previous_keys()]
    return {
        "keys": [
            {**k.as_dict(private=False), "use": "sig", "alg": "ES256", "kid": k.kid} for k in keys
        ]
    }
