"""Who is asking and from where, for audit events written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None = None
    user_agent: str = ""


_EMPTY = RequestMeta()
_current: ContextVar[RequestMeta] = ContextVar("harbour_request_meta", default=_EMPTY)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta) -> object:
    return _current.set(meta)


def reset_request_meta(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
