# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .helpdesk_ticket import PREMIUM_PRIORITY


class HelpdeskTicket(models.Model):
    """The customer's side of a cost: accept or cancel it, from the portal
    or the API, and the reminders of costs left waiting."""

    _inherit = "helpdesk.ticket"

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
