# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import codecs
import email.errors
import email.policy
import logging
import re
import time
import xmlrpc.client
from email.header import decode_header, make_header

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import ConcurrencyError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
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
# Errors the caller retries (Odoo's ``retrying``, around RPC calls such as the
# mailgate script's): only fetchmail, which does not, loses a message on them.
RETRIED_ERRORS = (ConcurrencyError, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
# How long the failure log waits for a lock before giving up on its entry.
FAILURE_LOG_LOCK_TIMEOUT = "5s"


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
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """fetchmail rolls back a message whose processing raised, then marks
        it read (IMAP) or deletes it (POP): it is lost. A premium email that
        fails so is kept in the refused-email log as failed, with its error,
        for staff to retry once the cause is fixed. The error is raised on as
        before: Odoo's own handling does not change."""
        try:
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        except Exception as error:
            if self._premium_intake_keeps_failure(error):
                self._premium_intake_record_failure(message, error)
            raise

    @api.model
    def _premium_intake_keeps_failure(self, error):
        """Whether a failure is to be kept: not while a retry from the log
        runs (the entry keeps the error), and not when the caller retries it
        (serialization failures, lock errors), except under fetchmail, which
        does not."""
        context = self.env.context
        if context.get("premium_mail_retry"):
            return False
        if isinstance(error, RETRIED_ERRORS):
            return bool(context.get("default_fetchmail_server_id"))
        return True

    @api.model
    def _premium_intake_record_failure(self, message, error):
        """Keep ``message`` in the log when it is addressed to a premium alias,
        from a cursor of its own: the failed transaction is still open, and
        rolled back by the caller later. That cursor only reads aliases and
        inserts into the log, and gives up rather than wait long on a lock.
        Nothing here may hide the original error."""
        if isinstance(message, xmlrpc.client.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode("utf-8")
        if not isinstance(message, bytes):
            return
        Refusal = self.env["helpdesk.premium.mail.refusal"]
        text = Refusal._format_error(error)
        try:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = %s", [FAILURE_LOG_LOCK_TIMEOUT])
                env = api.Environment(cr, SUPERUSER_ID, {})
                entry = env[Refusal._name]._record_failure(message, text)
                if entry:
                    _logger.warning(
                        "Premium email with Message-Id %s failed and is kept to "
                        "retry (entry %s): %s",
                        entry.message_id,
                        entry.id,
                        error,
                    )
        except Exception:
            _logger.exception("A failed premium email could not be kept")

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
