"""API keys: one or more per workspace; only a SHA-256 hash of each is stored."""

from __future__ import annotations

import hashlib
import secrets

from kolscope.app.models import ApiKeyCreated
from kolscope.app.ports import Clock, UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.errors import NotFound, Unauthorized

PREFIX = "ks_"


def hash_key(secret: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(uow: UnitOfWork, *, workspace: str, name: str, clock: Clock) -> ApiKeyCreated:
    """Create a key for ``workspace``; its secret is returned once and never stored."""
    ws = require_workspace(uow, workspace)
    secret = PREFIX + secrets.token_urlsafe(32)
    key_id = uow.api_keys.add(ws.id, name=name, prefix=secret[:10], key_hash=hash_key(secret),
                              now=clock())
    return ApiKeyCreated(id=key_id, workspace=ws.slug, name=name, secret=secret)


def authenticate(uow: UnitOfWork, *, secret: str | None) -> str:
    """The slug of the workspace ``secret`` belongs to, or Unauthorized."""
    if not secret:
        raise Unauthorized("an API key is required: send it as 'Authorization: Bearer <key>' "
                           "or 'X-API-Key: <key>'")
    workspace_id = uow.api_keys.workspace_for(hash_key(secret))
    ws = uow.workspaces.get_by_id(workspace_id) if workspace_id is not None else None
    if ws is None:
        raise Unauthorized("unknown or revoked API key")
    return ws.slug


def revoke_api_key(uow: UnitOfWork, *, workspace: str, key_id: int, clock: Clock) -> None:
    """Revoke a key so it no longer authenticates."""
    ws = require_workspace(uow, workspace)
    if not uow.api_keys.revoke(ws.id, key_id, clock()):
        raise NotFound(f"API key {key_id} not found", workspace=workspace, key_id=key_id)
