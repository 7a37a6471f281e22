# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import traceback
from email.parser import BytesHeaderParser

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import email_split

from .mail_thread import PARSE_ERRORS

# The headers that say where an email was delivered (those Odoo routes on).
RECIPIENT_HEADERS = ("Delivered-To", "To", "Cc", "Resent-To", "Resent-Cc")
# How much of a processing error is kept on the log entry.
ERROR_MAX_CHARS = 20000


class HelpdeskPremiumMailRefusal(models.Model):
    """Premium emails whose processing failed: kept whole, with the error,
    from a cursor of their own, and retried by staff once the cause is fixed."""

    _inherit = "helpdesk.premium.mail.refusal"

    def action_retry(self):
        """Manager: process a failed email again, as the mail gateway would
        have, once the cause of the failure is fixed. Whatever becomes of it
        (a request, a refusal, a duplicate of a copy processed since) the
        entry is then processed; when it fails again, the entry keeps the new
        error."""
        self.ensure_one()
        if self.state != "failed":
            raise UserError(
                self.env._("Only an email whose processing failed is retried.")
            )
        raw = base64.b64decode(self.with_context(bin_size=False).raw_message or b"")
        try:
            with self.env.cr.savepoint():
                thread_id = (
                    self.env["mail.thread"]
                    .sudo()
                    .with_context(premium_mail_retry=True)
                    .message_process(None, raw)
                )
        except Exception as error:  # noqa: BLE001 - kept on the entry, shown below
            self.env.invalidate_all()
            self.sudo().error = self._format_error(error)
            return self._notification(
                self.env._(
                    "Processing this email failed again: %(error)s", error=error
                ),
                "danger",
            )
        ticket = self.env["helpdesk.ticket"]
        if self.message_id:
            ticket = ticket.sudo().search(
                [("premium_message_id", "=", self.message_id)], limit=1
            )
        self.sudo().write({"state": "done", "ticket_id": ticket.id})
        if ticket:
            message = self.env._(
                "The email became the request %(ticket)s.", ticket=ticket.display_name
            )
        elif thread_id:
            message = self.env._("The email was processed.")
        else:
            message = self.env._(
                "The email was processed: refused, or a copy of an email "
                "processed before."
            )
        return self._notification(message, "success")

    def _notification(self, message, kind):
        """Tell the manager how the retry went, and show the entry as it is
        now."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _record_failure(self, raw, error):
        """Keep an email that a premium alias was to take in but whose
        processing raised, so that staff can retry it once fixed. Called on a
        cursor of its own while the failed transaction is still open: it reads
        the premium aliases and inserts into this log only, and touches no row
        that transaction may hold (alias, partner, ticket), or it would wait
        on it for good. An email already kept as failed is not kept twice.
        Returns the new entry, if any."""
        try:
            headers = BytesHeaderParser().parsebytes(raw)
        except PARSE_ERRORS:
            return self.browse()
        team = self._get_premium_team_addressed(headers)
        if not team:
            return self.browse()
        thread = self.env["mail.thread"]
        message_id = thread._message_raw_header(headers, "Message-Id").strip()
        refusals = self.sudo()
        if message_id and refusals.search_count(
            [("message_id", "=", message_id), ("state", "=", "failed")], limit=1
        ):
            return self.browse()
        return refusals.create(
            {
                "team_id": team.id,
                "company_id": (team.company_id or self.env.company).id,
                "email_from": thread._message_raw_header(headers, "From"),
                "subject": thread._message_raw_header(headers, "Subject"),
                "message_id": message_id or False,
                "reason": "failed",
                "state": "failed",
                "reply_state": "failed",
                "error": error[-ERROR_MAX_CHARS:],
                "raw_message": base64.b64encode(raw),
                "raw_message_name": "original_email.eml",
            }
        )

    @api.model
    def _get_premium_team_addressed(self, headers):
        """The premium team whose alias an email is addressed to, if any, read
        from its delivery headers as Odoo's routing reads them."""
        recipients = set()
        for name in RECIPIENT_HEADERS:
            for value in headers.get_all(name) or []:
                recipients.update(
                    address.lower() for address in email_split(str(value))
                )
        if not recipients:
            return self.env["helpdesk.ticket.team"]
        local_parts = {address.split("@", 1)[0] for address in recipients}
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("is_premium", "=", True), ("alias_id", "!=", False)])
        )
        return teams.filtered(
            lambda team: (
                (team.alias_id.alias_full_name or "").lower() in recipients
                or (
                    team.alias_id.alias_incoming_local
                    and team.alias_id.alias_name in local_parts
                )
            )
        )[:1]

    @api.model
    def _format_error(self, error):
        """The error as the server log shows it, its traceback included."""
        text = "".join(traceback.format_exception(error))
        return text[-ERROR_MAX_CHARS:]
