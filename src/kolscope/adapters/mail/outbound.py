"""Outreach email leaves through SMTP or, by default, lands in an outbox folder as .eml files.

The outbox is the offline default (``make run``): every message is written exactly as it would be
sent, so it can be read, tested or handed to any mail client, and nothing leaves the machine.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from kolscope.app.ports import OutgoingMail


def build_message(mail: OutgoingMail) -> EmailMessage:
    """The RFC 5322 message for one outreach email, with its Message-ID for threading."""
    message = EmailMessage()
    message["From"] = formataddr((mail.sender_name, mail.sender))
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Reply-To"] = mail.sender
    # One-click opt-out: a reply with "unsubscribe" is honoured by the suppression list.
    message["List-Unsubscribe"] = f"<mailto:{mail.sender}?subject=unsubscribe>"
    message.set_content(mail.body)
    return message


class SmtpMailSender:
    """Sends over SMTP (plain, STARTTLS or implicit TLS), one connection per message."""

    def __init__(self, host: str, port: int, *, security: str = "none",
                 username: str | None = None, password: str | None = None,
                 timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.timeout = timeout

    def send(self, mail: OutgoingMail) -> None:
        message = build_message(mail)
        smtp: smtplib.SMTP
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPException as exc:
            raise OSError(f"SMTP {self.host}:{self.port} refused the message: {exc}") from exc


class OutboxMailSender:
    """Writes each message to ``folder`` as ``<id>.eml`` instead of sending it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail: OutgoingMail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = mail.message_id.strip("<>").split("@")[0] + ".eml"
        tmp = self.folder / (name + ".tmp")
        tmp.write_bytes(bytes(build_message(mail)))
        tmp.replace(self.folder / name)
