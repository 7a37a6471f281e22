# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_partner import SUPPORT_BALANCE_GROUPS

PREMIUM_PRIORITY = "2"
# The least a customer can be asked for a ticket: a premium request normally
# costs one credit, staff may ask more. ``_check_cost`` owns the rule; the
# database constraint below is the last line of defence.
MIN_COST = 1
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
    """A ticket's cost and its acceptance: the state machine that staff drive
    (send, change, close) and the records it keeps. The customer's side is in
    ``helpdesk_ticket_acceptance.py``."""

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
    support_credit_balance = fields.Integer(
        string="Customer credits",
        compute="_compute_support_credit_balance",
        groups=SUPPORT_BALANCE_GROUPS,
        help="The customer's balance in the ticket's company, for those who may "
        "see it (helpdesk and sales staff, the customer's own portal users).",
    )
    support_credit_line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="ticket_id",
        string="Credit movements",
        readonly=True,
        copy=False,
    )

    _credit_cost_not_negative = models.Constraint(
        "CHECK(credit_cost >= 0)", "A ticket cannot cost a negative number of credits."
    )
    _cost_asked_is_positive = models.Constraint(
        f"CHECK(approval_state IN ('none', 'cancelled') OR credit_cost >= {MIN_COST})",
        "A ticket sent for acceptance costs at least one credit.",
    )

    @api.depends("approval_state")
    def _compute_is_premium(self):
        for ticket in self:
            ticket.is_premium = ticket.approval_state == "approved"

    @api.depends("commercial_partner_id", "company_id")
    @api.depends_context("uid")
    def _compute_support_credit_balance(self):
        """The customer's balance in the ticket's company, if the caller may
        see it (``res.partner._support_balance_visible_to``, asked as the
        caller, never in sudo for them): a follower of another company reads 0.
        Replaces a related field, which Odoo computes in sudo for anyone."""
        visible = self.commercial_partner_id._support_balance_visible_to()
        for ticket in self:
            partner = ticket.sudo().commercial_partner_id
            company = ticket.sudo().company_id or self.env.company
            ticket.support_credit_balance = (
                partner.with_company(company).support_credit_balance
                if partner in visible
                else 0
            )

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
        closing = archiving = self.browse()
        if "approval_state" not in vals:
            # closing or archiving a ticket ends its pending cost (below)
            stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
            if stage.closed:
                closing = self.filtered(lambda t: t.approval_state == "pending")
            if "active" in vals and not vals["active"]:
                archiving = (
                    self.filtered(lambda t: t.approval_state == "pending") - closing
                )
        bump._check_support_suspension()
        res = super().write(vals)
        for ticket in bump:
            ticket._send_cost(template="mail_template_cost_changed")
        closing._cancel_pending_cost("closed")
        archiving._cancel_pending_cost("archived")
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
            if not ticket.active:
                raise UserError(
                    self.env._(
                        "%(ticket)s is archived: restore it before sending a cost.",
                        ticket=ticket.display_name,
                    )
                )
            if not ticket.credit_cost:
                # no cost set: the normal cost of a premium request
                ticket.credit_cost = MIN_COST
            self._check_cost(ticket.credit_cost)
            ticket._send_cost(template="mail_template_cost_request")
        return True

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
        """Post a customer-facing email of the acceptance flow on the ticket.

        Posted with the acceptance subtype, which no follower gets by default
        (``default=False``) and nobody can choose (``hidden``), and addressed to
        the customer by name: followers of the ticket, a contact of another
        company copied on the first email say, are not emailed the customer's
        costs. The templates carry no balance either: they link to
        /my/credits, where only the customer's own users see it."""
        self.ensure_one()
        template = self.env.ref(f"helpdesk_premium_support.{template_name}")
        self.sudo().message_post_with_source(
            template,
            subtype_xmlid="helpdesk_premium_support.mt_ticket_cost",
            email_layout_xmlid="mail.mail_notification_light",
            partner_ids=self.partner_id.ids,
        )

    def _cancel_pending_cost(self, reason):
        """End the costs of these tickets that wait for the customer without
        accepting them: the one way a pending cost is cancelled, whoever or
        whatever ends it. No credit moves.

        ``reason`` says who ended it and how the request is left:

        - ``customer``: the current user declined it; the request is closed as
          cancelled and the decision noted under their name;
        - ``expired``: nobody accepted it in time; the request is closed as
          cancelled and the customer emailed;
        - ``closed``: staff closed the ticket (its stage stays);
        - ``archived``: staff archived the ticket (its stage stays).

        Tickets whose cost does not wait (any more) are left alone."""
        pending = self.sudo().filtered(lambda t: t.approval_state == "pending")
        if not pending:
            return
        values = {"approval_state": "cancelled"}
        if reason in ("customer", "expired"):
            values["stage_id"] = self.env.ref(
                "helpdesk_premium_support.helpdesk_ticket_stage_cost_cancelled"
            ).id
        pending.write(values)
        user = self.env.user
        for ticket in pending:
            if reason == "expired":
                ticket._notify_customer("mail_template_cost_expired")
                continue
            if reason == "customer":
                body = self.env._(
                    "%(user)s cancelled the request instead of accepting its cost "
                    "of %(cost)s credit(s).",
                    user=user.name,
                    cost=ticket.credit_cost,
                )
            elif reason == "archived":
                body = self.env._(
                    "The ticket was archived while its cost of %(cost)s credit(s) "
                    "waited for the customer: the cost is cancelled, no credit "
                    "was taken.",
                    cost=ticket.credit_cost,
                )
            else:
                body = self.env._(
                    "The ticket was closed while its cost of %(cost)s credit(s) "
                    "waited for the customer: the cost is cancelled, no credit "
                    "was taken.",
                    cost=ticket.credit_cost,
                )
            ticket.message_post(
                body=body,
                author_id=user.partner_id.id if reason == "customer" else None,
                subtype_xmlid="mail.mt_note",
            )
