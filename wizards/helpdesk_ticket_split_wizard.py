# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.helpdesk_ticket import MIN_COST


class HelpdeskTicketSplitWizard(models.TransientModel):
    """Turn one customer request (typically an email) into one or more
    tickets, each with its own cost, all sent to the customer for acceptance."""

    _name = "helpdesk.ticket.split.wizard"
    _description = "Split a Request into Priced Tickets"

    request_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Request",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="request_ticket_id.partner_id")
    line_ids = fields.One2many(
        comodel_name="helpdesk.ticket.split.wizard.line",
        inverse_name="wizard_id",
        string="Tickets",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["helpdesk.ticket"].browse(self.env.context.get("active_id"))
        if self.env.context.get("active_model") == "helpdesk.ticket" and request:
            values["request_ticket_id"] = request.id
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "name": request.name,
                        "description": request.description,
                        "credit_cost": MIN_COST,
                    }
                )
            ]
        return values

    def action_split(self):
        self.ensure_one()
        request = self.request_ticket_id
        request._check_staff()
        if not self.line_ids:
            raise UserError(self.env._("Add at least one ticket to create."))
        if not request.partner_id:
            raise UserError(self.env._("The request has no customer."))
        if request.approval_state != "none" or request.stage_id.closed:
            raise UserError(
                self.env._("Only an open request without a cost can be split.")
            )
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": line.name,
                    "description": line.description or request.description,
                    "credit_cost": line.credit_cost,
                    "partner_id": request.partner_id.id,
                    "partner_name": request.partner_name,
                    "partner_email": request.partner_email,
                    "team_id": request.team_id.id,
                    "company_id": request.company_id.id,
                    "channel_id": request.channel_id.id,
                    "category_id": request.category_id.id,
                    "request_ticket_id": request.id,
                }
                for line in self.line_ids
            ]
        )
        tickets.action_request_approval()
        items = Markup("").join(
            Markup("<li>%s</li>") % ticket._get_html_link() for ticket in tickets
        )
        request.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (self.env._("This request was split into:"), items),
            subtype_xmlid="mail.mt_note",
        )
        request.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        return request.action_open_split_tickets()
