# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import codecs
import email.errors
import email.policy
import logging
import re
import time
from email.header import decode_header, make_header

from markupsafe import Markup

from odoo import api, models
from odoo.tools.mail import decode_message_header, email_split_and_format

_logger = logging.getLogger(__name__)

# What a broken message can raise while it is parsed: never a database error.
PARSE_ERRORS = (
    LookupError,
    UnicodeError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    email.errors.MessageError,
)
# Serialize a parsed message back as it was received: no header refolding.
RAW_POLICY = email.policy.SMTP.clone(refold_source="none")


def _known_charset(charset):
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


class MailThread(models.AbstractModel):
    """Incoming mail that Odoo cannot parse no longer raises: a part in an
    unknown charset is read as UTF-8 (undecodable bytes replaced), and any
    other parsing error gives a minimal message carrying the original email
    as an attachment. fetchmail marks a message read (IMAP) or deletes it
    (POP) even when processing raised, so raising would lose it."""

    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        try:
            values = super().message_parse(message, save_original=save_original)
        except PARSE_ERRORS as error:
            _logger.info(
                "Incoming email could not be parsed (%s): kept as an attachment",
                error,
            )
            values = self._message_parse_fallback(message)
        return self._message_parse_strip_nul(values)

    @api.model
    def _message_parse_strip_nul(self, values):
        """PostgreSQL text cannot hold NUL characters: an encoded header or an
        attachment name carrying one would make the email fail to save."""

        def strip(value):
            if isinstance(value, str) and "\x00" in value:
                return value.replace("\x00", "")
            return value

        values = {key: strip(value) for key, value in values.items()}
        if values.get("attachments"):
            values["attachments"] = [
                attachment._replace(fname=strip(attachment.fname))
                for attachment in values["attachments"]
            ]
        return values

    def _message_parse_extract_payload(
        self, message, message_dict, save_original=False
    ):
        try:
            return super()._message_parse_extract_payload(
                message, message_dict, save_original=save_original
            )
        except LookupError:
            for part in message.walk():
                charset = part.get_param("charset")
                if (
                    part.get_content_maintype() == "text"
                    and charset
                    and not _known_charset(str(charset))
                ):
                    part.set_param("charset", "utf-8")
            return super()._message_parse_extract_payload(
                message, message_dict, save_original=save_original
            )

    @api.model
    def _message_parse_fallback(self, message):
        """The values ``message_parse`` returns, read defensively from a
        message it could not parse. The body says so; the original email is
        attached."""

        def header(name):
            try:
                return decode_message_header(message, name, separator=",")
            except PARSE_ERRORS:
                return self._message_raw_header(message, name)

        def addresses(name):
            value = header(name)
            try:
                return email_split_and_format(value)
            except PARSE_ERRORS:
                return []

        message_id = header("Message-Id").strip() or f"<{time.time()}@localhost>"
        email_from = (addresses("From") or [header("From")])[0]
        to_list = addresses("Delivered-To") + addresses("To")
        cc_list = addresses("Cc")
        recipients = set(to_list + cc_list + addresses("Resent-To"))
        return {
            "message_type": "email",
            "message_id": message_id,
            "subject": header("Subject"),
            "email_from": email_from,
            "from": email_from,
            "cc": ",".join(cc_list),
            "recipients": ",".join(recipients),
            "to": ",".join(dict.fromkeys(to_list)),
            "cc_filtered": "",
            "to_filtered": "",
            "references": header("References"),
            "in_reply_to": header("In-Reply-To").strip(),
            "is_bounce": False,
            "body": Markup("<p>%s</p>")
            % self.env._(
                "This email could not be read. The original message is attached."
            ),
            "attachments": [
                self._Attachment(
                    "original_email.eml", self._message_raw_bytes(message), {}
                )
            ],
        }

    @api.model
    def _message_raw_header(self, message, name):
        """Header ``name`` as received, RFC 2047 words decoded when possible,
        without the structured parsing that fails on malformed headers."""
        values = [
            value
            for key, value in message.raw_items()
            if key.lower() == name.lower() and value
        ]
        decoded = []
        for value in values:
            value = re.sub(r"\r?\n[ \t]*", " ", str(value)).strip()
            try:
                value = str(make_header(decode_header(value)))
            except PARSE_ERRORS as error:
                _logger.debug("Header %s kept encoded: %s", name, error)
            decoded.append(value.encode("utf-8", "replace").decode("utf-8"))
        return ",".join(decoded)

    @api.model
    def _message_raw_bytes(self, message):
        """The message as received (headers are not refolded)."""
        for serialize in (
            lambda: message.as_bytes(policy=RAW_POLICY),
            lambda: message.as_string(policy=RAW_POLICY).encode("utf-8", "replace"),
        ):
            try:
                return serialize()
            except PARSE_ERRORS as error:
                _logger.info("Incoming email serialized with loss: %s", error)
        return b""
