# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import pytz

from odoo import api, fields, models, tools

DEFAULT_SUPPORT_TZ = "Europe/Paris"


def _format_hour(value):
    hours, minutes = divmod(round(value * 60), 60)
    return f"{hours:02d}:{minutes:02d}"


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    is_premium = fields.Boolean(
        string="Premium team",
        help="This team's email alias takes premium requests: the sender must "
        "write from the address of their account with their username in the "
        "subject, and staff split each request into tickets with a cost.",
    )

    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Business hours",
        default=lambda self: self.env.ref(
            "helpdesk_premium_support.resource_calendar_premium_support",
            raise_if_not_found=False,
        ),
        domain="[('company_id', 'in', [company_id, False])]",
        help="When the team works: shown in acknowledgements and in the portal. "
        "Also gives the time zone in which suspensions are judged.",
    )
    basic_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Team for basic requests",
        domain="[('is_premium', '=', False), "
        "('company_id', 'in', [company_id, False])]",
        help="During a suspension, emails to this premium team are filed in this "
        "team as basic tickets; refused emails are pointed to its address.",
    )
    support_hours_description = fields.Char(
        compute="_compute_support_hours_description"
    )
    premium_response_hours = fields.Integer(
        default=4,
        help="Business hours staff have to give an accepted premium ticket its "
        "first public reply, counted from the acceptance in the team's business "
        "hours (public holidays and suspensions are not counted).",
    )

    @api.depends(
        "resource_calendar_id.tz",
        "resource_calendar_id.attendance_ids.dayofweek",
        "resource_calendar_id.attendance_ids.hour_from",
        "resource_calendar_id.attendance_ids.hour_to",
    )
    def _compute_support_hours_description(self):
        for team in self:
            team.support_hours_description = team._get_support_hours_description()

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        if any(vals.get("is_premium") for vals in vals_list):
            self.env.registry.clear_cache()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if {"is_premium", "alias_id", "active"}.intersection(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        premium = any(self.mapped("is_premium"))
        res = super().unlink()
        if premium:
            self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache("alias_id")
    def _get_premium_team_id(self, alias_id):
        """The premium team whose email alias is ``alias_id``, if any: asked
        for every incoming email, so cached."""
        return (
            self.sudo()
            .search([("alias_id", "=", alias_id), ("is_premium", "=", True)], limit=1)
            .id
        )

    def _get_support_calendar(self):
        """The working-time calendar of this team (or of premium support by
        default, also for an empty recordset)."""
        calendar = self[:1].resource_calendar_id
        return calendar or self.env.ref(
            "helpdesk_premium_support.resource_calendar_premium_support",
            raise_if_not_found=False,
        )

    def _get_support_tz(self):
        """The time zone of this team's business hours: its calendar's, else
        the premium support calendar's, else Central European Time. The one
        fallback for teams, tickets and suspensions."""
        calendar = self._get_support_calendar()
        return (calendar and calendar.tz) or DEFAULT_SUPPORT_TZ

    def _get_basic_team(self):
        """Where this premium team's emails go during a suspension."""
        self.ensure_one()
        if self.basic_team_id:
            return self.basic_team_id
        return self.search(
            [
                ("is_premium", "=", False),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            limit=1,
        )

    def _get_support_hours_description(self):
        """E.g. "Monday to Friday, 09:00-18:30 (Europe/Paris)"."""
        calendar = self._get_support_calendar()
        if not calendar:
            return ""
        per_day = {}
        for attendance in calendar.attendance_ids.sorted("hour_from"):
            if (
                attendance.display_type
                or attendance.day_period == "lunch"
                or attendance.week_type == "1"
            ):
                continue
            slots = per_day.setdefault(int(attendance.dayofweek), [])
            if slots and slots[-1][1] >= attendance.hour_from:
                slots[-1] = (slots[-1][0], max(slots[-1][1], attendance.hour_to))
            else:
                slots.append((attendance.hour_from, attendance.hour_to))
        day_names = dict(
            self.env["resource.calendar.attendance"]
            ._fields["dayofweek"]
            ._description_selection(self.env)
        )
        runs = []
        for day in sorted(per_day):
            if runs and runs[-1][1] == day - 1 and runs[-1][2] == per_day[day]:
                runs[-1][1] = day
            else:
                runs.append([day, day, per_day[day]])
        parts = []
        for first, last, slots in runs:
            hours = ", ".join(f"{_format_hour(a)}-{_format_hour(b)}" for a, b in slots)
            if first == last:
                days = day_names[str(first)]
            elif last == first + 1:
                days = self.env._(
                    "%(first)s and %(last)s",
                    first=day_names[str(first)],
                    last=day_names[str(last)],
                )
            else:
                days = self.env._(
                    "%(first)s to %(last)s",
                    first=day_names[str(first)],
                    last=day_names[str(last)],
                )
            parts.append(f"{days}, {hours}")
        return f"{'; '.join(parts)} ({self._get_support_tz()})"

    def _get_support_next_opening(self, now=None):
        """When the team is next at work, as an aware datetime in the
        calendar's time zone, or None when it works at ``now`` (UTC, naive;
        default: the server's clock) or has no working time within 3 weeks.
        Public holidays of the calendar are taken into account."""
        calendar = self._get_support_calendar()
        if not calendar:
            return None
        tz = pytz.timezone(self._get_support_tz())
        start = pytz.utc.localize(now or fields.Datetime.now())
        intervals = calendar._work_intervals_batch(
            start, start + timedelta(weeks=3), tz=tz
        )[False]
        for begin, end, _records in intervals:
            if end <= start:
                continue
            return None if begin <= start else begin.astimezone(tz)
        return None
