"""Who is acting, from where, in this request: read by the audit trail without passing requests down."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graduated.audit.services import Actor


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Filled during the request (graduated.audit.reach): the pupils the access lookups reached,
    # with who reached them, and the pupils an audit event was written for.
    pupils_reached: dict[int, "Actor"] = field(default_factory=dict)
    pupils_recorded: set[int] = field(default_factory=set)


_current: ContextVar[RequestContext | None] = ContextVar("graduated_request_context", default=None)


def current_context() -> RequestContext:
    """The current request's context; outside a request (commands, the worker) an empty one."""
    return _current.get() or RequestContext(request_id="")


def set_context(context: RequestContext | None) -> object:
    return _current.set(context)


def reset_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
