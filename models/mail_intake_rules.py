# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules of the premium email intake that need no database: who sent a
message, whether a robot did, and whether the subject names a login."""

import re
from email.header import decode_header, make_header

from .mail_thread import PARSE_ERRORS

# One well-formed address: dot-atom local part, host name with a letter TLD.
ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# RFC 3834 and common practice: headers only automated mail carries.
AUTOMATED_HEADERS = (
    "list-id",
    "list-unsubscribe",
    "list-post",
    "x-autoreply",
    "x-autorespond",
    "x-failed-recipients",
)
AUTOMATED_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")
AUTOMATED_SENDERS = (
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
)
# Characters a login may contain around a match: the match is a whole token.
LOGIN_TOKEN = r"(?<![\w@+\-])(?<!\w\.){login}(?![\w@+\-])(?!\.\w)"


def get_raw_headers(message):
    """{lower-case name: [unfolded values as received]} of ``message``."""
    headers = {}
    for name, value in message.raw_items():
        value = re.sub(r"\r?\n[ \t]*", " ", str(value)).strip()
        headers.setdefault(name.lower(), []).append(value)
    return headers


def get_strict_sender(from_values):
    """Read the From header strictly.

    Returns ``(identity, reply_to)``: ``identity`` is the lower-cased address
    when the header holds exactly one well-formed address and nothing else
    that looks like one (no address in the display name, no second address,
    no second From header); ``reply_to`` is the mailbox the header really
    names, when there is exactly one, even with a spoofed display name."""
    if len(from_values) != 1:
        return None, None
    try:
        decoded = str(make_header(decode_header(from_values[0])))
    except PARSE_ERRORS:
        return None, None
    decoded = " ".join(decoded.split())
    # the structure of the header, quoted display names left out
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', decoded)
    angles = re.findall(r"<([^<>]*)>", bare)
    if len(angles) == 1:
        address = angles[0].strip()
        display = bare.replace(f"<{angles[0]}>", "", 1)
    elif not angles and "<" not in bare and ">" not in bare:
        address, display = bare, ""
    else:
        return None, None
    if len(address) > 254 or not ADDRESS_RE.fullmatch(address):
        return None, None
    address = address.lower()
    if decoded.count("@") != 1 or "<" in display or ">" in display:
        return None, address
    return address, address


def is_automated(headers, sender):
    """Auto-replies, bulk and list mail, bounces and delivery reports."""
    for value in headers.get("auto-submitted", []):
        if value.split(";")[0].strip().lower() != "no":
            return True
    for value in headers.get("precedence", []):
        if value.strip().lower() in AUTOMATED_PRECEDENCE:
            return True
    if any(name in headers for name in AUTOMATED_HEADERS):
        return True
    if any(value.strip() in ("<>", "") for value in headers.get("return-path", [])):
        return True
    if any("multipart/report" in v.lower() for v in headers.get("content-type", [])):
        return True
    return bool(sender) and sender.split("@")[0] in AUTOMATED_SENDERS


def subject_has_login(subject, login):
    """Whether ``login`` is a whole token of ``subject`` (case-insensitive):
    not inside a longer word, login or address."""
    if not subject or not login:
        return False
    pattern = LOGIN_TOKEN.format(login=re.escape(login))
    return re.search(pattern, subject, re.IGNORECASE) is not None
