"""Outbound mail (SMTP, or an outbox folder of .eml files) and inbound replies (.eml, webhook)."""

from kolscope.adapters.mail.inbound import parse_eml, parse_webhook
from kolscope.adapters.mail.outbound import OutboxMailSender, SmtpMailSender, build_message

__all__ = ["OutboxMailSender", "SmtpMailSender", "build_message", "parse_eml", "parse_webhook"]
