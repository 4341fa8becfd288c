"""Replies as they arrive: a raw RFC 5322 message (.eml) or an inbound-mail webhook's JSON."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from kolscope.app.ports import InboundMail
from kolscope.errors import InvalidInput

_ID = re.compile(r"<[^<>\s]+>")
MAX_BYTES = 5 * 1024 * 1024


def _references(*headers: str | None) -> tuple[str, ...]:
    found: list[str] = []
    for header in headers:
        found += _ID.findall(header or "")
    return tuple(dict.fromkeys(found))


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""


def parse_eml(data: bytes, *, where: str = "message") -> InboundMail:
    """An inbound reply from raw message bytes; refuses what is not a mail with a sender."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{where}: messages are at most 5 MiB", field="message")
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    address = parseaddr(str(message.get("From", "")))[1]
    if "@" not in address:
        raise InvalidInput(f"{where}: no From address; is this an email message?", field="from")
    date = message.get("Date")
    received = None
    if date:
        try:
            received = parsedate_to_datetime(str(date))
        except (TypeError, ValueError):
            received = None
    if received is not None and received.tzinfo is None:
        received = None
    mid = _ID.findall(str(message.get("Message-ID", "")))
    return InboundMail(from_address=address.lower(), subject=str(message.get("Subject", "")),
                       text=_text(message).strip(), message_id=mid[0] if mid else None,
                       references=_references(str(message.get("In-Reply-To", "")),
                                              str(message.get("References", ""))),
                       received_at=received)


def parse_webhook(payload: Any) -> InboundMail:
    """An inbound reply from a generic webhook payload.

    Fields: ``from`` (required), ``subject``, ``text``, ``message_id``, ``in_reply_to`` and
    ``references`` (header strings), or ``raw`` with the whole message, which wins when given.
    """
    if not isinstance(payload, dict):
        raise InvalidInput("the inbound payload must be a JSON object", field="payload")
    if isinstance(payload.get("raw"), str):
        return parse_eml(payload["raw"].encode(), where="raw")
    address = parseaddr(str(payload.get("from") or ""))[1]
    if "@" not in address:
        raise InvalidInput("from: an email address is required", field="from")
    for name in ("subject", "text", "message_id", "in_reply_to", "references"):
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise InvalidInput(f"{name}: must be a string", field=name)
    text = payload.get("text") or ""
    if len(text) > MAX_BYTES:
        raise InvalidInput("text: at most 5 MiB", field="text")
    mid = _ID.findall(payload.get("message_id") or "")
    return InboundMail(from_address=address.lower(), subject=payload.get("subject") or "",
                       text=text.strip(), message_id=mid[0] if mid else None,
                       references=_references(payload.get("in_reply_to"),
                                              payload.get("references")))
