# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError
from odoo.tools import format_date, format_datetime, html2plaintext

from .mail_intake_rules import (
    get_raw_headers,
    get_strict_sender,
    is_automated,
    subject_has_login,
)

_logger = logging.getLogger(__name__)

INTAKE_CRON = "helpdesk_premium_support.ir_cron_premium_mail_intake"

PREMIUM_PRIORITY = "2"
# Written only by the acceptance flow, in superuser mode: never by hand, never
# over the external API (whatever context it passes).
APPROVAL_FIELDS = {
    "approval_state",
    "cost_version",
    "approval_requested_date",
    "approval_reminded",
    "approved_by_id",
    "approved_date",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"
    _order = "is_premium desc, priority desc, sequence, number desc, id desc"

    credit_cost = fields.Integer(
        copy=False,
        tracking=True,
        help="Credits the customer is asked to accept before work starts.",
    )
    approval_state = fields.Selection(
        selection=[
            ("none", "Basic"),
            ("pending", "Awaiting acceptance"),
            ("approved", "Accepted"),
            ("cancelled", "Cancelled"),
        ],
        string="Acceptance",
        default="none",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    is_premium = fields.Boolean(
        string="Premium",
        compute="_compute_is_premium",
        store=True,
        help="The customer accepted the cost: the ticket is answered first.",
    )
    cost_version = fields.Integer(
        copy=False,
        readonly=True,
        help="Changes every time a cost is sent: an acceptance made from a page "
        "that showed another cost is refused.",
    )
    approval_requested_date = fields.Datetime(
        string="Cost sent on", copy=False, readonly=True
    )
    approval_reminded = fields.Boolean(copy=False, readonly=True)
    approved_by_id = fields.Many2one(
        comodel_name="res.users", string="Accepted by", copy=False, readonly=True
    )
    approved_date = fields.Datetime(string="Accepted on", copy=False, readonly=True)
    request_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Split from",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The customer's request (typically an email) this ticket comes from.",
    )
    split_ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="request_ticket_id",
        string="Tickets split from this request",
        readonly=True,
    )
    support_credit_balance = fields.Integer(
        related="commercial_partner_id.support_credit_balance",
        string="Customer credits",
    )
    support_credit_line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="ticket_id",
        string="Credit movements",
        readonly=True,
        copy=False,
    )

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

    _credit_cost_not_negative = models.Constraint(
        "CHECK(credit_cost >= 0)", "A ticket cannot cost a negative number of credits."
    )
    _premium_message_unique = models.UniqueIndex(
        "(premium_message_id) WHERE premium_message_id IS NOT NULL",
        "This email already created a premium request.",
    )
    _cost_asked_is_positive = models.Constraint(
        "CHECK(approval_state IN ('none', 'cancelled') OR credit_cost >= 1)",
        "A ticket sent for acceptance costs at least one credit.",
    )

    @api.depends("approval_state")
    def _compute_is_premium(self):
        for ticket in self:
            ticket.is_premium = ticket.approval_state == "approved"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self.env.su:
                break
            if vals.get("approval_state", "none") != "none" or (
                APPROVAL_FIELDS - {"approval_state"}
            ).intersection(k for k, v in vals.items() if v):
                raise UserError(
                    self.env._(
                        "A new ticket starts without acceptance: send its cost to "
                        "the customer instead."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_approval_write(vals)
        if "credit_cost" in vals:
            self._check_cost_change(vals["credit_cost"])
        bump = self.browse()
        if "credit_cost" in vals:
            bump = self.filtered(
                lambda t: (
                    t.approval_state == "pending"
                    and t.credit_cost != vals["credit_cost"]
                )
            )
        closing = self.browse()
        if vals.get("stage_id") and "approval_state" not in vals:
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                closing = self.filtered(lambda t: t.approval_state == "pending")
        bump._check_support_suspension()
        res = super().write(vals)
        for ticket in bump:
            ticket._send_cost(template="mail_template_cost_changed")
        if closing:
            closing._close_pending_cost()
        return res

    def copy_data(self, default=None):
        default = dict(default or {})
        default.setdefault("approval_state", "none")
        default.setdefault("credit_cost", 0)
        return super().copy_data(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        lines = (
            self.env["support.credit.line"]
            .sudo()
            .search_count([("ticket_id", "in", self.ids)], limit=1)
        )
        if lines:
            raise UserError(
                self.env._(
                    "Credits were spent on this ticket: deleting it would destroy "
                    "their ledger lines. Archive or close it instead."
                )
            )

    # ------------------------------------------------------------------
    # Staff side
    # ------------------------------------------------------------------
    def action_request_approval(self):
        """Staff: send the cost to the customer, who must accept it before work
        starts (state ``pending``, customer emailed)."""
        self._check_staff()
        self._check_support_suspension()
        for ticket in self:
            if ticket.approval_state == "approved":
                raise UserError(
                    self.env._(
                        "%(ticket)s was already accepted: its cost is locked.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.approval_state == "pending":
                raise UserError(
                    self.env._(
                        "%(ticket)s already waits for the customer: change its cost "
                        "to send a new one.",
                        ticket=ticket.display_name,
                    )
                )
            if not ticket.partner_id:
                raise UserError(
                    self.env._(
                        "%(ticket)s has no customer: set one before sending a cost.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.stage_id.closed:
                raise UserError(
                    self.env._(
                        "%(ticket)s is closed: reopen it before sending a cost.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.credit_cost < 1:
                ticket.credit_cost = 1
            ticket._send_cost(template="mail_template_cost_request")
        return True

    def action_open_split_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("request_ticket_id", "=", self.id)]
        action["context"] = {"default_request_ticket_id": self.id}
        return action

    def _check_staff(self):
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            raise AccessError(
                self.env._("Only helpdesk staff can send a cost to the customer.")
            )
        self.check_access("write")

    def _check_approval_write(self, vals):
        if APPROVAL_FIELDS.intersection(vals):
            raise UserError(
                self.env._(
                    "The acceptance of a cost is recorded by its buttons only: send "
                    "the cost to the customer, who accepts or cancels it."
                )
            )
        if "partner_id" in vals:
            for ticket in self:
                if (
                    ticket.approval_state in ("pending", "approved")
                    and ticket.partner_id.id != vals["partner_id"]
                ):
                    raise UserError(
                        self.env._(
                            "%(ticket)s has a cost sent to %(customer)s: its "
                            "customer cannot change. Cancel it and create a new "
                            "ticket instead.",
                            ticket=ticket.display_name,
                            customer=ticket.partner_id.display_name,
                        )
                    )

    def _check_cost_change(self, new_cost):
        for ticket in self:
            if ticket.approval_state == "approved" and new_cost != ticket.credit_cost:
                raise UserError(
                    self.env._(
                        "%(ticket)s was accepted for %(cost)s credit(s): its cost is "
                        "locked and spent credits are never refunded.",
                        ticket=ticket.display_name,
                        cost=ticket.credit_cost,
                    )
                )
            if ticket.approval_state == "pending" and new_cost < 1:
                raise UserError(
                    self.env._(
                        "A ticket waiting for acceptance costs at least one credit."
                    )
                )

    def _send_cost(self, template):
        """Open a new version of the pending cost and email the customer."""
        self.ensure_one()
        self.sudo().write(
            {
                "approval_state": "pending",
                "cost_version": self.cost_version + 1,
                "approval_requested_date": fields.Datetime.now(),
                "approval_reminded": False,
            }
        )
        self._notify_customer(template)

    def _notify_customer(self, template_name):
        """Post a customer-facing email of the acceptance flow on the ticket."""
        self.ensure_one()
        template = self.env.ref(f"helpdesk_premium_support.{template_name}")
        self.sudo().message_post_with_source(
            template,
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _close_pending_cost(self):
        """Closing a ticket whose cost waits for the customer cancels the cost."""
        for ticket in self.sudo():
            ticket.approval_state = "cancelled"
            ticket.message_post(
                body=self.env._(
                    "The ticket was closed while its cost of %(cost)s credit(s) "
                    "waited for the customer: the cost is cancelled, no credit "
                    "was taken.",
                    cost=ticket.credit_cost,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Customer side
    # ------------------------------------------------------------------
    def action_approve_cost(self, cost_version=None):
        """Customer: accept the pending cost. The credits are taken from the
        company's wallet and the ticket becomes premium.

        Only a portal user of the ticket's own company may accept, from the
        portal or the external API alike. ``cost_version`` (the version the
        customer saw) refuses an acceptance made from a stale page."""
        self.ensure_one()
        self._check_customer_decision(cost_version)
        self._check_support_suspension(customer=True)
        user = self.env.user
        ticket = self.sudo()
        ticket._get_support_wallet()._spend(
            ticket.credit_cost,
            ticket,
            self.env._(
                "%(ticket)s accepted by %(user)s",
                ticket=ticket.display_name,
                user=user.name,
            ),
        )
        values = {
            "approval_state": "approved",
            "approved_by_id": user.id,
            "approved_date": fields.Datetime.now(),
        }
        if ticket.priority < PREMIUM_PRIORITY:
            values["priority"] = PREMIUM_PRIORITY
        ticket.write(values)
        ticket.message_post(
            body=self.env._(
                "%(user)s accepted the cost of %(cost)s credit(s).",
                user=user.name,
                cost=ticket.credit_cost,
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_cancel_cost(self, cost_version=None):
        """Customer: decline the pending cost. The request is closed as
        cancelled and no credit moves."""
        self.ensure_one()
        self._check_customer_decision(cost_version)
        user = self.env.user
        ticket = self.sudo()
        stage = self.env.ref(
            "helpdesk_premium_support.helpdesk_ticket_stage_cost_cancelled"
        )
        ticket.write({"approval_state": "cancelled", "stage_id": stage.id})
        ticket.message_post(
            body=self.env._(
                "%(user)s cancelled the request instead of accepting its cost of "
                "%(cost)s credit(s).",
                user=user.name,
                cost=ticket.credit_cost,
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _check_customer_decision(self, cost_version):
        """Who may accept or cancel, and when. Raises otherwise."""
        self.ensure_one()
        user = self.env.user
        ticket = self.sudo()
        if (
            user._is_public()
            or not user.share
            or user.partner_id.commercial_partner_id != ticket.commercial_partner_id
        ):
            raise AccessError(
                self.env._(
                    "Only the customer's own portal users can accept or cancel the "
                    "cost of this ticket."
                )
            )
        if ticket.approval_state == "approved":
            raise UserError(
                self.env._(
                    "This request was already accepted: its credits are spent and "
                    "cannot be refunded."
                )
            )
        if ticket.approval_state != "pending":
            raise UserError(self.env._("This request does not wait for acceptance."))
        if cost_version is not None and str(cost_version) != str(ticket.cost_version):
            raise UserError(
                self.env._(
                    "The cost of this request changed to %(cost)s credit(s) since "
                    "your page was loaded. Review the new cost and decide again.",
                    cost=ticket.credit_cost,
                )
            )

    @api.model
    def _get_awaiting_acceptance_count(self, user):
        """Tickets of ``user``'s company that wait for its acceptance."""
        return self.sudo().search_count(
            [
                ("approval_state", "=", "pending"),
                (
                    "commercial_partner_id",
                    "=",
                    user.partner_id.commercial_partner_id.id,
                ),
            ]
        )

    def _get_cost_portal_values(self, user):
        """What the portal ticket page shows of the cost, for ``user``."""
        self.ensure_one()
        ticket = self.sudo()
        balance = ticket.commercial_partner_id.with_company(
            ticket.company_id or self.env.company
        ).support_credit_balance
        return {
            "support_credit_balance": balance,
            "cost_missing": max(ticket.credit_cost - balance, 0),
            "cost_can_decide": ticket.approval_state == "pending"
            and not user._is_public()
            and user.share
            and user.partner_id.commercial_partner_id == ticket.commercial_partner_id,
            "buy_credits_url": self.env["support.credit.wallet"]._get_buy_credits_url(),
            "support_business_hours": ticket.support_hours_description,
            "support_suspension": ticket._get_support_suspension(),
        }

    def _close_from_portal(self, stage):
        """A customer closes their own company's ticket in a stage open to the
        portal. Raises AccessError for anybody else."""
        self.ensure_one()
        user = self.env.user
        ticket = self.sudo()
        if (
            not ticket.exists()
            or user._is_public()
            or user.partner_id.commercial_partner_id != ticket.commercial_partner_id
            or not stage.sudo().exists()
            or not stage.sudo().close_from_portal
        ):
            raise AccessError(self.env._("You cannot close this ticket."))
        ticket.stage_id = stage.id

    def _get_support_wallet(self):
        self.ensure_one()
        return (
            self.env["support.credit.wallet"]
            .sudo()
            ._get_wallets(self.partner_id, self.company_id or self.env.company)
        )

    # ------------------------------------------------------------------
    # Scheduled reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind_pending_costs(self):
        """Remind the customer of costs waiting for N days, cancel them after M
        days (company settings), each with an email and a chatter note. Days
        of suspension, when customers cannot accept, do not count."""
        now = fields.Datetime.now()
        Suspension = self.env["helpdesk.support.suspension"]
        pending = self.sudo().search([("approval_state", "=", "pending")])
        for ticket in pending:
            if ticket._get_support_suspension():
                continue  # customers cannot accept now: nothing to remind
            company = ticket.company_id or self.env.company
            sent = ticket.approval_requested_date
            age = (now - sent) - Suspension._get_suspended_time(
                company, sent, now, tz=ticket.team_id._get_support_tz()
            )
            if age >= timedelta(days=company.support_cost_expiry_days):
                ticket.write(
                    {
                        "approval_state": "cancelled",
                        "stage_id": self.env.ref(
                            "helpdesk_premium_support."
                            "helpdesk_ticket_stage_cost_cancelled"
                        ).id,
                    }
                )
                ticket._notify_customer("mail_template_cost_expired")
            elif not ticket.approval_reminded and age >= timedelta(
                days=company.support_cost_reminder_days
            ):
                ticket.approval_reminded = True
                ticket._notify_customer("mail_template_cost_reminder")

    # ------------------------------------------------------------------
    # Premium requests by email (rules 5, 6, 9, 10)
    # ------------------------------------------------------------------
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
    def message_new(self, msg_dict, custom_values=None):
        """Two deliveries of one premium email processed at the same moment both
        miss Odoo's Message-Id check (each in its own snapshot): the unique
        Message-Id of premium requests stops the second one, which is then
        retried by Odoo and finds the first one's message as a duplicate."""
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
