# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import suppress

from odoo.exceptions import AccessError, MissingError
from odoo.http import request, route

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class PremiumSupportTicketController(HelpdeskTicketController):
    @route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close one of the user's own company's tickets in a stage open to the
        portal. Replaces a GET route that let anyone close any ticket; answers
        as helpdesk_mgmt's does (a 302 back to the ticket page, which shows
        nothing to a user who may not see it)."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(ticket_id or 0))
            stage = request.env["helpdesk.ticket.stage"].browse(int(stage_id or 0))
        except ValueError:
            return request.redirect("/my", code=302)
        # refused: nothing changes, and the ticket page shows what the user may
        with suppress(AccessError, MissingError):
            ticket._close_from_portal(stage)
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)
