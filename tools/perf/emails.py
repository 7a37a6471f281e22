# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one builder of the raw emails that tools/bench and tools/loadtest
deliver to a team's alias, as a mail server would hand them to Odoo."""

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime


def raw_email(sender_name, sender, to, subject, message_id):
    """A plain-text request from ``sender``, as text (RFC 5322)."""
    msg = EmailMessage()
    msg["From"] = f'"{sender_name}" <{sender}>'
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg["Message-Id"] = message_id
    msg.set_content(f"Hello,\n\n{subject}: the nightly export fails.\n")
    return msg.as_string()


def message_id(tag, n):
    """A Message-Id that names the email ``n`` of a run tagged ``tag``."""
    return f"<{tag}.{n}@customer.example>"
