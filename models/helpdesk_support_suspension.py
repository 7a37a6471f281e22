# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools


class HelpdeskSupportSuspension(models.Model):
    """A period during which premium support is suspended.

    During a suspension, emails to a premium team are answered with the
    suspension notice and filed as basic tickets, staff cannot send costs for
    acceptance and customers cannot accept them. Basic support stays open.
    Whether a suspension is running is judged by the server's clock in the
    time zone of the support calendar, never by a date the customer sends."""

    _name = "helpdesk.support.suspension"
    _description = "Premium Support Suspension"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(
        string="To", required=True, help="Last day of the suspension (included)."
    )
    message = fields.Html(
        string="Message to customers",
        required=True,
        translate=True,
        help="Sent to customers who write to premium support during the "
        "suspension and shown in the portal.",
    )
    active = fields.Boolean(default=True)

    _dates_in_order = models.Constraint(
        "CHECK(date_to >= date_from)",
        "A suspension cannot end before it starts.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _get_current(self, company, tz=None, now=None):
        """The suspension of ``company`` running at ``now`` (default: the
        server's clock) in time zone ``tz`` (default: the premium support
        calendar's), or an empty recordset."""
        today = self._support_today(tz, now)
        for date_from, date_to, suspension_id in self._get_periods(company.id):
            if date_from <= today <= date_to:
                return self.sudo().browse(suspension_id)
        return self.sudo().browse()

    @api.model
    @tools.ormcache("company_id")
    def _get_periods(self, company_id):
        """(first day, last day, id) of the active suspensions of a company:
        asked for every premium email and portal page, so cached."""
        suspensions = self.sudo().search_fetch(
            [("company_id", "=", company_id)],
            ["date_from", "date_to"],
            order="date_from, id",
        )
        return tuple((s.date_from, s.date_to, s.id) for s in suspensions)

    @api.model
    def _get_suspended_time(self, company, start, end, tz=None):
        """How much of the time from ``start`` to ``end`` (UTC, naive as Odoo
        stores them) fell in suspensions of ``company``: their days run from
        midnight to midnight in time zone ``tz`` (default: the premium support
        calendar's)."""
        zone = pytz.timezone(self._support_tz(tz))

        def utc(day):
            moment = zone.localize(datetime.combine(day, time.min))
            return moment.astimezone(pytz.utc).replace(tzinfo=None)

        suspended = timedelta()
        counted_until = start  # periods may overlap: count each moment once
        for date_from, date_to, _suspension_id in self._get_periods(company.id):
            period_start = max(utc(date_from), counted_until)
            period_end = min(utc(date_to + timedelta(days=1)), end)
            if period_end > period_start:
                suspended += period_end - period_start
                counted_until = period_end
        return suspended

    @api.model
    def _support_today(self, tz=None, now=None):
        """The date of ``now`` (UTC, naive as Odoo stores it) in ``tz``."""
        now = now or fields.Datetime.now()
        if isinstance(now, datetime) and now.tzinfo is None:
            now = pytz.utc.localize(now)
        return now.astimezone(pytz.timezone(self._support_tz(tz))).date()

    @api.model
    def _support_tz(self, tz=None):
        """``tz``, else the time zone of the premium support calendar (the
        teams' fallback, asked of no team in particular)."""
        return tz or self.env["helpdesk.ticket.team"]._get_support_tz()
