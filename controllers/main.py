# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, MissingError
from odoo.http import request, route

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class PremiumSupportTicketController(HelpdeskTicketController):
    @route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close one of the user's own company's tickets in a stage open to the
        portal. Replaces a GET route that let anyone close any ticket."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(ticket_id or 0))
            stage = request.env["helpdesk.ticket.stage"].browse(int(stage_id or 0))
        except ValueError:
            return request.redirect("/my")
        try:
            ticket._close_from_portal(stage)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.redirect(f"/my/ticket/{ticket.id}")
