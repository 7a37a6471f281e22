# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, models
from odoo.tools.intervals import Intervals

PLANNING_WINDOW = timedelta(days=14)
PLANNING_WINDOWS = 30  # a deadline further than ~14 months away is none


class HelpdeskTicketTeam(models.Model):
    """The team's premium response time, counted in its working time: the
    calendar's attendances less its public holidays (global leaves) and the
    company's premium support suspensions."""

    _inherit = "helpdesk.ticket.team"

    _premium_response_hours_positive = models.Constraint(
        "CHECK(premium_response_hours > 0)",
        "The premium response time must be at least one hour.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "premium_response_hours" in vals:
            # tickets accepted from now on; promises already made are kept
            slas = (
                self.env["helpdesk.sla"]
                .sudo()
                .search([("premium_response", "=", True), ("team_ids", "in", self.ids)])
            )
            for sla in slas:
                sla.hours = sla.team_ids[:1].premium_response_hours
        return res

    def _get_premium_response_sla(self):
        """The helpdesk_mgmt_sla SLA that carries this team's premium response
        time (of tickets without a team for an empty recordset), created on
        first use."""
        team = self[:1]
        Sla = self.env["helpdesk.sla"].sudo().with_context(active_test=False)
        sla = Sla.search(
            [
                ("premium_response", "=", True),
                ("team_ids", "in", team.ids) if team else ("team_ids", "=", False),
            ],
            limit=1,
        )
        if not sla:
            sla = Sla.create(
                {
                    "name": self.env._("Premium response"),
                    "premium_response": True,
                    "team_ids": [Command.set(team.ids)],
                    "company_id": team.company_id.id,
                    "hours": team.premium_response_hours
                    if team
                    else self._fields["premium_response_hours"].default(self),
                }
            )
        return sla

    def _get_premium_work_intervals(self, start, end, company, suspensions=True):
        """The team's working time from ``start`` to ``end`` (UTC, naive as
        Odoo stores them) as aware intervals: the calendar's attendances less
        its public holidays and, with ``suspensions``, less the premium
        support suspensions of ``company`` (whole days in the team's time
        zone)."""
        calendar = self._get_support_calendar()
        if not calendar:
            return Intervals()
        zone = pytz.timezone(self._get_support_tz())
        start, end = pytz.utc.localize(start), pytz.utc.localize(end)
        work = calendar._work_intervals_batch(start, end, tz=zone)[False]
        if not suspensions:
            return work
        no_meta = self.env["resource.calendar.leaves"]
        periods = self.env["helpdesk.support.suspension"]._get_periods(company.id)
        suspended = Intervals(
            (
                zone.localize(datetime.combine(date_from, time.min)),
                zone.localize(datetime.combine(date_to + timedelta(days=1), time.min)),
                no_meta,
            )
            for date_from, date_to, _suspension_id in periods
        )
        return work - suspended

    def _plan_premium_response(self, start, hours, company):
        """When ``hours`` of the team's premium working time have passed after
        ``start`` (UTC, naive; the result too), or False when none is found
        within a year or so."""
        remaining = timedelta(hours=hours)
        window_start = start
        for _window in range(PLANNING_WINDOWS):
            window_end = window_start + PLANNING_WINDOW
            for begin, stop, _meta in self._get_premium_work_intervals(
                window_start, window_end, company
            ):
                if remaining <= stop - begin:
                    deadline = begin + remaining
                    return deadline.astimezone(pytz.utc).replace(tzinfo=None)
                remaining -= stop - begin
            window_start = window_end
        return False

    def _get_premium_work_hours(self, spans, company, suspensions=True):
        """Business hours of this team in each ``(start, end)`` of ``spans``
        (UTC, naive; 0 for an empty one), in order: the working time is read
        once for them all, from the earliest start to the latest end."""
        spans = [
            (start, end) if start and end and end > start else None
            for start, end in spans
        ]
        counted = [span for span in spans if span]
        if not counted:
            return [0.0] * len(spans)
        work = self._get_premium_work_intervals(
            min(start for start, _end in counted),
            max(end for _start, end in counted),
            company,
            suspensions=suspensions,
        )
        return [self._sum_work_hours(work, *span) if span else 0.0 for span in spans]

    def _sum_work_hours(self, work, start, end):
        """Hours of the working time ``work`` (aware intervals) between
        ``start`` and ``end`` (UTC, naive)."""
        span = Intervals(
            [
                (
                    pytz.utc.localize(start),
                    pytz.utc.localize(end),
                    self.env["resource.calendar.leaves"],
                )
            ]
        )
        return sum(
            (stop - begin).total_seconds() / 3600 for begin, stop, _meta in work & span
        )
