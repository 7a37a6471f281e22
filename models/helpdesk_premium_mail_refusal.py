# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .mail_intake_rules import normalize_mailbox

_logger = logging.getLogger(__name__)

REPLY_PERIOD = timedelta(hours=1)


class HelpdeskPremiumMailRefusal(models.Model):
    """An email a premium team's alias refused (wrong sender or subject), or
    could not process at all, kept so that nothing is lost: managers review
    it, may turn it into a ticket, and retry a failed one once the cause is
    fixed.

    The sender of a refused email gets one reply explaining the rules, the
    same whatever the reason, at most once an hour per mailbox, never to
    automated mail. The reply is queued here and sent by a scheduled action,
    out of the mail gateway's transaction.

    The raw copy of a refused email is capped (company setting: its headers
    always kept, its body cut with a marker), and every entry is purged after
    the company's retention period."""

    _name = "helpdesk.premium.mail.refusal"
    _description = "Refused Premium Support Email"
    _order = "date desc, id desc"
    _rec_name = "subject"

    date = fields.Datetime(
        string="Received on",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        index=True,
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        readonly=True,
        ondelete="set null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    email_from = fields.Char(
        string="From", readonly=True, help="The From header, as received."
    )
    reply_email = fields.Char(
        string="Sender address",
        readonly=True,
        index=True,
        help="The one address of the From header, when it has one: the reply "
        "goes there.",
    )
    subject = fields.Char(readonly=True)
    message_id = fields.Char(string="Message-Id", readonly=True, index=True)
    reason = fields.Selection(
        selection=[
            ("automated", "Automated message (auto-reply, bulk or list mail)"),
            ("sender_invalid", "From is not exactly one well-formed address"),
            ("sender_unknown", "No portal user has this address"),
            ("sender_ambiguous", "Several portal users have this address"),
            ("login_missing", "The subject does not contain the sender's username"),
            ("failed", "Processing failed (kept to retry)"),
        ],
        required=True,
        readonly=True,
    )
    body = fields.Html(readonly=True, sanitize_style=True)
    raw_message = fields.Binary(string="Original email", attachment=True, readonly=True)
    raw_message_name = fields.Char(readonly=True)
    reply_state = fields.Selection(
        selection=[
            ("pending", "To send"),
            ("sent", "Sent"),
            ("throttled", "Not sent: already answered within the hour"),
            ("automated", "Not sent: automated message"),
            ("no_address", "Not sent: no valid sender address"),
            ("failed", "Not sent: the email could not be processed"),
        ],
        string="Reply",
        required=True,
        readonly=True,
        index=True,
    )
    reply_date = fields.Datetime(string="Replied on", readonly=True)
    state = fields.Selection(
        selection=[
            ("new", "To review"),
            ("failed", "Failed, to retry"),
            ("done", "Processed"),
        ],
        default="new",
        required=True,
    )
    error = fields.Text(
        readonly=True,
        help="Why processing this email failed, as the mail gateway raised it.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        help="The customer to create the ticket for.",
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", readonly=True, copy=False
    )
    basic_support_email = fields.Char(
        compute="_compute_basic_support_email",
        help="Where basic support takes emails: told in the reply.",
    )

    _one_failure_per_message = models.UniqueIndex(
        "(message_id) WHERE state = 'failed'",
        "This email is already kept as failed.",
    )

    @api.depends("team_id")
    def _compute_basic_support_email(self):
        for refusal in self:
            team = refusal.team_id.sudo()
            basic = team._get_basic_team() if team else team
            refusal.basic_support_email = basic.alias_email or False

    def action_create_ticket(self):
        """Manager: file the refused email as a basic ticket for the chosen
        customer, with the original email attached."""
        self.ensure_one()
        if self.ticket_id:
            raise UserError(self.env._("A ticket was already created from this email."))
        if not self.partner_id:
            raise UserError(self.env._("Choose the customer to create the ticket for."))
        team = self.team_id
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": self.subject or self.env._("No Subject"),
                "description": self.body,
                "partner_id": self.partner_id.id,
                "team_id": team.id,
                "company_id": (team.company_id or self.company_id).id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_email"
                ).id,
            }
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.raw_message_name or "original_email.eml",
                "datas": self.raw_message,
                "res_model": ticket._name,
                "res_id": ticket.id,
                "mimetype": "message/rfc822",
            }
        )
        ticket.message_post(
            body=self.env._(
                "Created from an email refused by the premium alias on %(date)s, "
                "from %(sender)s.",
                date=fields.Datetime.to_string(self.date),
                sender=self.email_from or "",
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        self.write({"ticket_id": ticket.id, "state": "done"})
        return {
            "type": "ir.actions.act_window",
            "res_model": ticket._name,
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def action_mark_done(self):
        self.write({"state": "done"})

    def action_mark_new(self):
        self.write({"state": "new"})

    @api.model
    def _record(self, message, message_dict, team, reason, reply_email):
        """Keep a refused message and queue its reply. A message delivered
        again (same Message-Id) is ignored. Returns the new record, if any."""
        message_id = message_dict.get("message_id")
        refusals = self.sudo()
        if message_id and refusals.search_count(
            [("message_id", "=", message_id), ("reason", "!=", "failed")], limit=1
        ):
            return self.browse()
        company = team.company_id or self.env.company
        limit = company._get_refused_mail_max_bytes()
        reply_state = refusals._get_reply_state(reason, reply_email)
        raw = self.env["mail.thread"]._message_raw_bytes(message)
        body = message_dict.get("body") or ""
        if limit and len(body) > limit:
            body = body[:limit] + Markup("<p>%s</p>") % self.env._(
                "[The rest of this message was not kept.]"
            )
        refusal = refusals.create(
            {
                "team_id": team.id,
                "company_id": company.id,
                "email_from": message_dict.get("email_from") or "",
                "reply_email": reply_email or False,
                "subject": message_dict.get("subject") or "",
                "message_id": message_id,
                "reason": reason,
                "body": body,
                "raw_message": base64.b64encode(self._cap_raw(raw, limit)),
                "raw_message_name": "original_email.eml",
                "reply_state": reply_state,
            }
        )
        if reply_state == "pending":
            self.env["helpdesk.ticket"]._trigger_premium_mail_intake()
        return refusal

    @api.model
    def _cap_raw(self, raw, limit):
        """``raw`` cut to about ``limit`` bytes: its headers always whole (they
        say who sent it, when and how), its body cut, with a marker saying
        how much was kept."""
        if not limit or len(raw) <= limit:
            return raw
        end = raw.find(b"\n\n")
        crlf_end = raw.find(b"\r\n\r\n")
        if crlf_end != -1 and (end == -1 or crlf_end < end):
            split, newline = crlf_end + 4, b"\r\n"
        elif end != -1:
            split, newline = end + 2, b"\n"
        else:
            split, newline = len(raw), b"\n"
        body = raw[split : max(limit, split)]
        marker = (
            f"[Premium Support: this copy was truncated to {len(body)} of the "
            f"{len(raw) - split} bytes of the body.]"
        ).encode()
        return raw[:split] + body + newline + newline + marker + newline

    @api.model
    def _get_reply_state(self, reason, reply_email):
        """Whether a refused message gets its reply: never to automated mail,
        to our own addresses or to a mailbox already answered within the hour.
        The mailbox is counted without its ``+tag`` and case, and claimed under
        a unique key, so that two refusals of one sender processed at the same
        moment get one reply between them."""
        if reason == "automated":
            return "automated"
        if not reply_email or self.env["mail.alias.domain"].sudo()._find_aliases(
            [reply_email]
        ):
            return "no_address"
        outcome = self.env["helpdesk.premium.mail.claim"]._claim(
            f"reply:{normalize_mailbox(reply_email)}",
            renew_before=fields.Datetime.now() - REPLY_PERIOD,
        )
        return "pending" if outcome == "claimed" else "throttled"

    @api.model
    def _cron_purge(self, batch_size=500):
        """Delete the log entries older than their company's retention period
        (with their raw copies), in batches, committing after each one, and
        forget the claims no transaction still needs."""
        self.env["helpdesk.premium.mail.claim"]._purge()
        now = fields.Datetime.now()
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("support_refused_mail_retention_days", ">", 0)])
        )
        domain = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(
                "date",
                "<",
                now - timedelta(days=company.support_refused_mail_retention_days),
            )
            for company in companies
        )
        refusals = self.sudo()
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=refusals.search_count(domain))
        while batch := refusals.search(domain, limit=batch_size):
            count = len(batch)
            batch.unlink()
            if not cron._commit_progress(count):
                break

    @api.model
    def _send_pending_replies(self, limit=None):
        """Send the queued replies. Returns how many are left to send."""
        refusals = self.sudo().search([("reply_state", "=", "pending")], limit=limit)
        template = self.env.ref(
            "helpdesk_premium_support.mail_template_premium_mail_refused"
        )
        for refusal in refusals:
            refusal.write({"reply_state": "sent", "reply_date": fields.Datetime.now()})
            # RFC 3834: an automatic answer says so, and asks for no answer
            headers = {
                "Auto-Submitted": "auto-replied",
                "X-Auto-Response-Suppress": "All",
            }
            values = {}
            if refusal.message_id:
                headers["In-Reply-To"] = refusal.message_id
                values["references"] = refusal.message_id
            values["headers"] = repr(headers)
            template.send_mail(refusal.id, email_values=values)
        if limit and len(refusals) == limit:
            return self.search_count([("reply_state", "=", "pending")])
        return 0
