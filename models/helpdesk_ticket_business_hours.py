# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime, html2plaintext


class HelpdeskTicket(models.Model):
    """Business hours and premium support suspensions, as the ticket sees them."""

    _inherit = "helpdesk.ticket"

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
