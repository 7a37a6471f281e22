# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    """A customer's request split by staff into several tickets, each with
    its own cost."""

    _inherit = "helpdesk.ticket"

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

    def action_open_split_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("request_ticket_id", "=", self.id)]
        action["context"] = {"default_request_ticket_id": self.id}
        return action
