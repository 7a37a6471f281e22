# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .helpdesk_ticket import APPROVAL_FIELDS, MIN_COST


class HelpdeskTicket(models.Model):
    """The rules a cost obeys whoever asks: who may send one, which fields
    only the acceptance flow writes, and that a cost is at least one credit."""

    _inherit = "helpdesk.ticket"

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
            if ticket.approval_state == "pending":
                self._check_cost(new_cost)

    @api.model
    def _check_cost(self, cost):
        """Raise unless ``cost`` may be asked of a customer: at least
        ``MIN_COST`` credits. The one owner of the rule, called wherever a cost
        is sent, changed, split off a request or spent."""
        if not cost or cost < MIN_COST:
            raise ValidationError(
                self.env._(
                    "A ticket costs at least %(minimum)s credit(s), not %(cost)s.",
                    minimum=MIN_COST,
                    cost=cost or 0,
                )
            )
