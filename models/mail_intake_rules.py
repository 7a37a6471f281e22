# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules of the premium email intake that need no database: who sent a
message, whether a robot did, and whether the subject names a login."""

import logging
import re
from email.header import decode_header

from .mail_thread import PARSE_ERRORS

_logger = logging.getLogger(__name__)

# One well-formed address: dot-atom local part, host name with a letter TLD.
ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# An RFC 2047 encoded word (=?charset?encoding?text?=), found as leniently as
# Python's email package (and so Odoo) finds and decodes them.
ENCODED_WORD_RE = re.compile(r"=\?[^?]*?\?[qQbB]\?.*?\?=")
# What no display name may hold unquoted: another address, a list or a group.
DISPLAY_SPECIALS_RE = re.compile(r"[@,;:\[\]\\]")
# What betrays an address hidden in a display name, a quoted string or a comment.
ADDRESS_LIKE_RE = re.compile(r"[@<>\uff20\ufe6b]")
AT_SIGN_RE = re.compile(r"[@\uff20\ufe6b]")
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
    """Read the From header strictly, as received: nothing is decoded before
    its structure is known.

    Returns ``(identity, reply_to)``: ``identity`` is the lower-cased address
    when the header holds exactly one well-formed address and nothing else
    that looks like one (no address in the display name or a comment, even
    encoded, no second address, no group, no second From header);
    ``reply_to`` is the mailbox the header really names, when there is exactly
    one, even with a spoofed display name. The address itself must be plain
    text: RFC 2047 encoded words are not allowed in an address, and one that
    decodes to an address is no address at all."""
    if len(from_values) != 1:
        return None, None
    value = " ".join(str(from_values[0]).split())
    scanned = _scan_header(value)
    if scanned is None:
        return None, None
    structure, hidden = scanned
    angles = re.findall(r"<([^<>]*)>", structure)
    if len(angles) == 1:
        address = angles[0].strip()
        display = structure.replace(f"<{angles[0]}>", " ", 1)
    elif not angles:
        address, display = structure.strip(), ""
    else:
        return None, None
    if (
        "<" in display
        or ">" in display
        or len(address) > 254
        or "=?" in address
        or not ADDRESS_RE.fullmatch(address)
    ):
        return None, None
    address = address.lower()
    if DISPLAY_SPECIALS_RE.search(display):
        return None, address
    for text in (display, *hidden):
        if ADDRESS_LIKE_RE.search(text) or ADDRESS_LIKE_RE.search(_decode_words(text)):
            return None, address
    # and no encoded word that spans the pieces above decodes to an address
    if len(AT_SIGN_RE.findall(_decode_words(value))) != 1:
        return None, address
    return address, address


def _scan_header(value):
    """Split a header value into its structure and what it hides.

    Returns ``(structure, hidden)``: ``structure`` is ``value`` with each
    quoted string replaced by ``""`` and each comment (nested ones included)
    by a space; ``hidden`` lists their contents. None when a quoted string or
    a comment is left open."""
    structure, hidden, current = [], [], []
    depth, quoted, escaped = 0, False, False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif (quoted or depth) and char == "\\":
            escaped = True
        elif quoted:
            if char == '"':
                quoted = False
                hidden.append("".join(current))
                current = []
                structure.append('""')
            else:
                current.append(char)
        elif depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth:
                current.append(char)
            else:
                hidden.append("".join(current))
                current = []
                structure.append(" ")
        elif char == '"':
            quoted = True
        elif char == "(":
            depth = 1
        else:
            structure.append(char)
    if quoted or depth or escaped:
        return None
    return "".join(structure), hidden


def _decode_words(text):
    """``text`` with its RFC 2047 encoded words decoded, each on its own (a
    word in an unknown charset is read as UTF-8: what matters is whether it
    hides an address); a word that cannot be decoded is left as it is."""

    def decode(match):
        word = match.group(0)
        try:
            (payload, charset), *__ = decode_header(word)
            if isinstance(payload, bytes):
                try:
                    word = payload.decode(charset or "ascii", "replace")
                except LookupError:
                    word = payload.decode("utf-8", "replace")
        except PARSE_ERRORS as error:
            _logger.debug("Encoded word %r kept as it is: %s", word, error)
        return word

    return ENCODED_WORD_RE.sub(decode, text)


def normalize_mailbox(address):
    """The mailbox behind ``address``, for counting: lower case, without the
    ``+tag`` that many providers deliver to the same mailbox
    (``Alice+Quote@Azure.test`` is ``alice@azure.test``)."""
    local, __, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0] or local
    return f"{local}@{domain}" if domain else local


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
