# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskTicketSla(models.Model):
    """helpdesk_mgmt_sla's ticket SLA, also for the premium response: its
    state, colour, expiry and report are kept; its clock and its goal are the
    premium response's own."""

    _inherit = "helpdesk.ticket.sla"

    @api.depends("sla_id")
    def _compute_sla_data(self):
        premium = self.filtered("sla_id.premium_response")
        res = super(HelpdeskTicketSla, self - premium)._compute_sla_data()
        for record in premium:
            ticket = record.ticket_id
            record.hours = record.sla_id.hours
            record.expected_stage_id = False
            record.state = (
                "accomplished" if ticket.premium_responded_date else "in_progress"
            )
            record.last_state_date = ticket.approved_date
        return res

    @api.depends("hours", "consumed_time", "ticket_id", "last_state_date", "state")
    def _compute_deadline(self):
        premium = self.filtered("sla_id.premium_response")
        res = super(HelpdeskTicketSla, self - premium)._compute_deadline()
        for record in premium:
            if record.deadline or not record.last_state_date:
                # set once, at the acceptance: later changes of the calendar or
                # of the team's response time do not move a promise made
                continue
            ticket = record.ticket_id
            record.deadline = ticket.team_id._plan_premium_response(
                record.last_state_date,
                record.hours,
                ticket.company_id or self.env.company,
            )
        return res

    def _stage_recompute(self):
        # a stage neither meets nor pauses the premium response: only the
        # first public reply from staff does
        if self.sla_id.premium_response:
            return
        return super()._stage_recompute()
