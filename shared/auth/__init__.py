"""Who is calling: access tokens signed by identity, verified everywhere with the cached JWKS."""

from shared.auth.principal import Membership, Principal
from shared.auth.tokens import TokenVerifier, get_verifier

__all__ = ["Membership", "Principal", "TokenVerifier", "get_verifier"]
