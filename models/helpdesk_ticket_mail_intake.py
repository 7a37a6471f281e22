# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError

from .mail_intake_rules import (
    get_raw_headers,
    get_strict_sender,
    is_automated,
    subject_has_login,
)

_logger = logging.getLogger(__name__)

INTAKE_CRON = "helpdesk_premium_support.ir_cron_premium_mail_intake"


class HelpdeskTicket(models.Model):
    """Premium requests received by email on a premium team's alias."""

    _inherit = "helpdesk.ticket"

    premium_message_id = fields.Char(
        string="Request Message-Id",
        copy=False,
        readonly=True,
        help="Message-Id of the email this premium request was created from.",
    )
    premium_intake = fields.Selection(
        selection=[
            ("request", "Premium request"),
            ("suspended", "Premium email during a suspension"),
        ],
        string="Received by email as",
        readonly=True,
        copy=False,
    )
    premium_intake_ack = fields.Selection(
        selection=[("pending", "To send"), ("sent", "Sent")],
        string="Acknowledgement",
        readonly=True,
        copy=False,
        index=True,
    )
    _premium_message_unique = models.UniqueIndex(
        "(premium_message_id) WHERE premium_message_id IS NOT NULL",
        "This email already created a premium request.",
    )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Duplicates are dropped at routing time (``_premium_intake_claim``).
        The unique Message-Id of premium requests stays as the database's
        guarantee: should a copy ever get this far, its insert fails and is
        turned into a retry, which finds the first one's message."""
        if not (custom_values or {}).get("premium_message_id"):
            return super().message_new(msg_dict, custom_values=custom_values)
        try:
            with self.env.cr.savepoint():
                return super().message_new(msg_dict, custom_values=custom_values)
        except psycopg2.errors.UniqueViolation as exc:
            raise ConcurrencyError(
                "Message-Id %s is being processed by another transaction"
                % custom_values["premium_message_id"]
            ) from exc

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        model, thread_id, custom_values, __, alias = route
        Team = self.env["helpdesk.ticket.team"].sudo()
        team = Team
        if alias and not thread_id and model == self._name:
            team = Team.browse(Team._get_premium_team_id(alias.id))
        if not team:
            return super()._routing_check_route(
                message, message_dict, route, raise_exception=raise_exception
            )
        if not self._premium_intake_claim(message_dict, alias):
            return False
        user, reason, reply_email = self._premium_intake_check(message, message_dict)
        if reason:
            _logger.info(
                "Premium alias %s refused the email from %s with Message-Id %s: %s",
                alias.alias_name,
                message_dict.get("email_from"),
                message_dict.get("message_id"),
                reason,
            )
            self.env["helpdesk.premium.mail.refusal"]._record(
                message, message_dict, team, reason, reply_email
            )
            return False
        values = dict(
            custom_values or {},
            partner_id=user.partner_id.id,
            premium_intake="request",
            premium_intake_ack="pending",
            premium_message_id=message_dict.get("message_id") or False,
        )
        channel_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False
        )
        if channel_id:
            values["channel_id"] = channel_id
        suspension = self.env["helpdesk.support.suspension"]._get_current(
            team.company_id or self.env.company, tz=team._get_support_tz()
        )
        if suspension:
            values["premium_intake"] = "suspended"
            basic_team = team._get_basic_team()
            if basic_team:
                values["team_id"] = basic_team.id
        message_dict["author_id"] = user.partner_id.id
        self._trigger_premium_mail_intake()
        return super()._routing_check_route(
            message,
            message_dict,
            (model, thread_id, values, user.id, alias),
            raise_exception=raise_exception,
        )

    @api.model
    def _premium_intake_claim(self, message_dict, alias):
        """One request per email. Take its Message-Id before anything is
        decided: a copy of an email already taken in (the same email sent to
        two premium aliases, or a second delivery processed at the same moment
        in another transaction) is dropped here, at routing time. Past this
        point, a duplicate would fail in ``message_new``, where Odoo's error
        path marks the alias invalid and bounces the email to a customer
        whose request was created."""
        message_id = message_dict.get("message_id")
        if not message_id:
            return True
        outcome = self.env["helpdesk.premium.mail.claim"]._claim(
            f"message:{message_id}"
        )
        if outcome == "claimed":
            return True
        _logger.info(
            "Premium alias %s dropped the email from %s with Message-Id %s: "
            "a copy already taken in (%s)",
            alias.alias_name,
            message_dict.get("email_from"),
            message_id,
            "by a concurrent transaction"
            if outcome == "concurrent"
            else "through another premium alias",
        )
        return False

    @api.model
    def _premium_intake_check(self, message, message_dict):
        """Who sent a premium request. Returns ``(user, refusal reason,
        address to reply to)``: the sender's portal user when the message is
        accepted, else a reason of ``helpdesk.premium.mail.refusal``."""
        headers = get_raw_headers(message)
        identity, reply_email = get_strict_sender(headers.get("from", []))
        users = self.env["res.users"]
        if is_automated(headers, reply_email):
            return users, "automated", reply_email
        if not identity:
            return users, "sender_invalid", reply_email
        users = users.sudo().search_fetch(
            [("share", "=", True), ("email_normalized", "=", identity)],
            ["login", "partner_id"],
            limit=2,
        )
        if not users:
            return users, "sender_unknown", reply_email
        if len(users) > 1:
            return users.browse(), "sender_ambiguous", reply_email
        if not subject_has_login(message_dict.get("subject"), users.login):
            return users.browse(), "login_missing", reply_email
        return users, False, reply_email

    @api.model
    def _cron_premium_mail_intake(self, limit=100):
        """Acknowledge the premium requests received by email and answer the
        refused emails."""
        tickets = self.sudo().search(
            [("premium_intake_ack", "=", "pending")], limit=limit
        )
        for ticket in tickets:
            ticket.premium_intake_ack = "sent"
            ticket._notify_customer(
                "mail_template_premium_request_suspended"
                if ticket.premium_intake == "suspended"
                else "mail_template_premium_request_received"
            )
        left = self.env["helpdesk.premium.mail.refusal"]._send_pending_replies(limit)
        if len(tickets) == limit or left:
            self._trigger_premium_mail_intake()

    @api.model
    def _trigger_premium_mail_intake(self):
        """Have the scheduled action send the queued emails right away."""
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(INTAKE_CRON)
        self.env["ir.cron"].sudo().browse(cron_id)._trigger()
