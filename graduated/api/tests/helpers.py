from typing import Any

from django.test import Client

from graduated.api import services


def token_for(user: Any, scope: str = "write", days: int = 30) -> str:
    _, raw = services.create_token(owner=user, name="test", scope=scope, days=days)
    return raw


def call(method: str, path: str, token: str | None = None, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method.lower())(path, **kwargs)
