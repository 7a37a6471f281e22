# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from email.header import decode_header, make_header

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime, html2plaintext

from .mail_thread import PARSE_ERRORS

_logger = logging.getLogger(__name__)

INTAKE_CRON = "helpdesk_premium_support.ir_cron_premium_mail_intake"
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


class HelpdeskTicket(models.Model):
    """Premium requests by email (rules 5, 6, 9, 10).

    A message to the alias of a premium team is checked while it is routed,
    before any record exists: a refused one is kept in
    ``helpdesk.premium.mail.refusal`` and never reaches ``message_new``. An
    accepted one becomes a request of its sender's account, without a cost.
    The acknowledgement and the refusal replies are queued and sent by a
    scheduled action, so that intake stays cheap and never fails on them.
    Intake never touches credit wallets."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

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
    support_hours_description = fields.Char(
        string="Business hours", compute="_compute_support_hours_description"
    )
    support_back_at = fields.Char(
        string="Team back at",
        compute="_compute_support_back_at",
        help="When the team is next at work, if it is not now.",
    )
    support_suspension_id = fields.Many2one(
        comodel_name="helpdesk.support.suspension",
        string="Premium support suspension",
        compute="_compute_support_suspension_id",
    )

    @api.depends("team_id")
    @api.depends_context("lang")
    def _compute_support_hours_description(self):
        for ticket in self:
            ticket.support_hours_description = (
                ticket.team_id._get_support_hours_description()
            )

    @api.depends("team_id")
    @api.depends_context("lang")
    def _compute_support_back_at(self):
        for ticket in self:
            team = ticket.team_id
            opening = team._get_support_next_opening()
            ticket.support_back_at = (
                format_datetime(
                    self.env,
                    opening.astimezone(pytz.utc).replace(tzinfo=None),
                    tz=team._get_support_tz(),
                    dt_format="EEEE d MMMM, HH:mm",
                )
                if opening
                else False
            )

    @api.depends("team_id", "company_id")
    def _compute_support_suspension_id(self):
        for ticket in self:
            ticket.support_suspension_id = ticket._get_support_suspension()

    def _get_support_suspension(self):
        """The suspension of premium support running now for this ticket."""
        self.ensure_one()
        return self.env["helpdesk.support.suspension"]._get_current(
            self.company_id or self.env.company,
            tz=self.team_id._get_support_tz(),
        )

    # ------------------------------------------------------------------
    # Suspensions in the acceptance flow
    # ------------------------------------------------------------------
    def _check_support_suspension(self, customer=False):
        """Raise while premium support is suspended for one of these tickets:
        staff cannot send costs, customers cannot accept them."""
        for ticket in self:
            suspension = ticket.sudo()._get_support_suspension()
            if not suspension:
                continue
            until = format_date(self.env, suspension.date_to)
            if customer:
                raise UserError(
                    self.env._(
                        "Premium support is suspended until %(date)s: costs cannot "
                        "be accepted until then. %(message)s",
                        date=until,
                        message=html2plaintext(suspension.message or ""),
                    )
                )
            raise UserError(
                self.env._(
                    "Premium support is suspended until %(date)s (%(name)s): no "
                    "cost can be sent for acceptance until then.",
                    date=until,
                    name=suspension.name,
                )
            )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
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
    def _premium_intake_check(self, message, message_dict):
        """Rule 5. Returns ``(user, refusal reason, address to reply to)``:
        the sender's portal user when the message is accepted, else a reason
        of ``helpdesk.premium.mail.refusal``."""
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
