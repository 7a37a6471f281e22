# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .helpdesk_ticket import PREMIUM_PRIORITY

# The codes a refused decision carries to the portal page, which picks its
# own words for each (views/portal_templates.xml): a link can put a code in
# the page's URL, never a sentence.
COST_ERROR_CODES = ("stale", "credits", "suspended", "accepted", "closed", "forbidden")


class CostDecisionError(UserError):
    """A customer's decision on a cost, refused for the reason named by
    ``code`` (one of ``COST_ERROR_CODES``). Over the API it is a UserError
    with its full message; the portal only passes its code on."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class HelpdeskTicket(models.Model):
    """The customer's side of a cost: accept or cancel it, from the portal
    or the API, and the reminders of costs left waiting."""

    _inherit = "helpdesk.ticket"

    def action_approve_cost(self, cost_version=None):
        """Customer: accept the pending cost shown at ``cost_version``. The
        credits are taken from the company's wallet and the ticket becomes
        premium.

        Only a portal user of the ticket's own company who can open the ticket
        may accept, from the portal or the external API alike, and only the
        version they saw: an acceptance that names no version, or another one
        (a stale page), is refused."""
        self.ensure_one()
        self._check_customer_decision(cost_version)
        try:
            self._check_support_suspension(customer=True)
        except UserError as error:
            raise CostDecisionError(error.args[0], "suspended") from error
        user = self.env.user
        ticket = self.sudo()
        try:
            ticket._get_support_wallet()._spend(
                ticket.credit_cost,
                ticket,
                self.env._(
                    "%(ticket)s accepted by %(user)s",
                    ticket=ticket.display_name,
                    user=user.name,
                ),
            )
        except UserError as error:
            raise CostDecisionError(error.args[0], "credits") from error
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
        """Customer: decline the pending cost shown at ``cost_version``. The
        request is closed as cancelled and no credit moves. The same checks as
        an acceptance."""
        self.ensure_one()
        self._check_customer_decision(cost_version)
        self._cancel_pending_cost("customer")
        return True

    def _check_customer_decision(self, cost_version):
        """Raise unless the current user may decide now on the cost shown at
        ``cost_version``."""
        self.ensure_one()
        refusal = self._get_cost_decision_refusal(self.env.user)
        if refusal:
            raise refusal
        ticket = self.sudo()
        if isinstance(cost_version, bool):
            cost_version = None  # JSON true is not version 1
        try:
            named = int(cost_version)
        except (TypeError, ValueError):
            named = None
        if named is None:
            raise CostDecisionError(
                self.env._(
                    "Name the version of the cost you accept (cost_version, as "
                    "shown on the ticket's page): the cost of this request is "
                    "%(cost)s credit(s), version %(version)s.",
                    cost=ticket.credit_cost,
                    version=ticket.cost_version,
                ),
                "stale",
            )
        if named != ticket.cost_version:
            raise CostDecisionError(
                self.env._(
                    "The cost of this request changed to %(cost)s credit(s) since "
                    "your page was loaded. Review the new cost and decide again.",
                    cost=ticket.credit_cost,
                ),
                "stale",
            )

    def _get_cost_decision_refusal(self, user):
        """Why ``user`` may not accept or cancel the cost of this ticket now,
        as the exception to raise, or None when they may: the one rule behind
        the actions (API and portal) and the portal's buttons.

        Only a logged-in portal user whose commercial partner is the ticket's
        may decide (not staff, not a follower of another company, not an
        access-token link), and only on a ticket they can open as themselves:
        the ticket's record rules (its company among theirs, say) are run as
        that user, sudo or not. And only while the cost waits, on a ticket
        that is not archived."""
        self.ensure_one()
        ticket = self.sudo()
        if (
            user._is_public()
            or not user.share
            or user.sudo().partner_id.commercial_partner_id
            != ticket.commercial_partner_id
            or not self.with_user(user).has_access("read")
        ):
            return AccessError(
                self.env._(
                    "Only the customer's own portal users can accept or cancel the "
                    "cost of this ticket."
                )
            )
        if not ticket.active:
            return CostDecisionError(
                self.env._(
                    "This request is archived: its cost can no longer be accepted."
                ),
                "closed",
            )
        if ticket.approval_state == "approved":
            return CostDecisionError(
                self.env._(
                    "This request was already accepted: its credits are spent and "
                    "cannot be refunded."
                ),
                "accepted",
            )
        if ticket.approval_state != "pending":
            return CostDecisionError(
                self.env._("This request does not wait for acceptance."), "closed"
            )
        return None

    @api.model
    def _get_cost_error_code(self, error):
        """The code the portal shows for a refused decision ``error``."""
        if isinstance(error, AccessError):
            return "forbidden"
        return getattr(error, "code", None) or "error"

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

    def _get_cost_portal_values(self, user, cost_error=None):
        """What the portal ticket page shows of the cost, for ``user``. The
        balance (and what is missing of it) only for those who may see it; a
        refused decision only as one of the known codes (``cost_error`` comes
        from the URL: anything else becomes the generic ``error``)."""
        self.ensure_one()
        ticket = self.sudo()
        balance = ticket.commercial_partner_id._get_visible_support_credit_balance(
            user, ticket.company_id or self.env.company
        )
        visible = balance is not None
        return {
            "support_credit_balance": balance,
            "support_credit_balance_visible": visible,
            "cost_missing": max(ticket.credit_cost - balance, 0) if visible else 0,
            "cost_can_decide": not self._get_cost_decision_refusal(user),
            "cost_error": (cost_error if cost_error in COST_ERROR_CODES else "error")
            if cost_error
            else False,
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
    def _cron_remind_pending_costs(self, batch_size=200):
        """Remind the customer of costs waiting for N days, cancel them after M
        days (company settings), each with an email. Days of suspension, when
        customers cannot accept, do not count.

        Reads only the costs old enough to be due (``_get_due_pending_cost
        _domain``), ``batch_size`` at a time, each batch committed with the
        scheduler's progress, so that a run that stops half-way keeps what it
        did and the scheduler calls it again soon for the rest."""
        now = fields.Datetime.now()
        domain = self._get_due_pending_cost_domain(now)
        Ticket = self.sudo()
        last_id = 0
        while True:
            batch = Ticket.search(
                domain & Domain("id", ">", last_id), order="id", limit=batch_size
            )
            if not batch:
                break
            batch._process_due_pending_costs(now)
            last_id = batch[-1].id
            remaining = (
                Ticket.search_count(domain & Domain("id", ">", last_id))
                if len(batch) == batch_size
                else 0
            )
            time_left = self.env["ir.cron"]._commit_progress(
                len(batch), remaining=remaining
            )
            if not remaining or not time_left:
                break

    @api.model
    def _get_due_pending_cost_domain(self, now):
        """Pending costs that may be due at ``now``: sent longer ago than their
        company's reminder delay (if not reminded yet) or expiry delay. A
        suspension only lengthens the wait, so every cost actually due is
        among them; the exact age is judged per ticket afterwards."""
        per_company = []
        for company in self.env["res.company"].sudo().search([]):
            remind = now - timedelta(days=company.support_cost_reminder_days)
            expire = now - timedelta(days=company.support_cost_expiry_days)
            per_company.append(
                Domain("company_id", "=", company.id)
                & (
                    Domain("approval_requested_date", "<=", expire)
                    | (
                        Domain("approval_reminded", "=", False)
                        & Domain("approval_requested_date", "<=", remind)
                    )
                )
            )
        return Domain("approval_state", "=", "pending") & Domain.OR(per_company)

    def _process_due_pending_costs(self, now):
        """Remind or expire each of these pending costs whose wait, less the
        time premium support was suspended, has reached its company's delay."""
        Suspension = self.env["helpdesk.support.suspension"]
        expired = self.browse()
        for ticket in self:
            if ticket._get_support_suspension():
                continue  # customers cannot accept now: nothing to remind
            company = ticket.company_id or self.env.company
            sent = ticket.approval_requested_date
            age = (now - sent) - Suspension._get_suspended_time(
                company, sent, now, tz=ticket.team_id._get_support_tz()
            )
            if age >= timedelta(days=company.support_cost_expiry_days):
                expired |= ticket
            elif not ticket.approval_reminded and age >= timedelta(
                days=company.support_cost_reminder_days
            ):
                ticket.approval_reminded = True
                ticket._notify_customer("mail_template_cost_reminder")
        expired._cancel_pending_cost("expired")
