# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

# measures aggregated as a percentile of the first response time, whatever
# aggregate the client asks for
PERCENTILES = {"response_hours_median": 0.5, "response_hours_p90": 0.9}


class HelpdeskPremiumResponseReport(models.Model):
    """First response time of premium and basic tickets, in business hours,
    and the share of premium deadlines met: one row per accepted or basic
    ticket, read from the ticket's stored first response (counted in the
    team's business hours by a job that runs every quarter of an hour: a
    response not counted yet is answered, without hours)."""

    _name = "helpdesk.premium.response.report"
    _description = "Premium Response Report"
    _auto = False
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned user", readonly=True)
    date = fields.Datetime(
        string="Clock started",
        readonly=True,
        help="The acceptance for a premium ticket, the creation for a basic one.",
    )
    support_kind = fields.Selection(
        selection=[("premium", "Premium"), ("basic", "Basic")],
        string="Support",
        readonly=True,
    )
    response_hours = fields.Float(
        string="Average first response (h)",
        aggregator="avg",
        readonly=True,
    )
    response_hours_median = fields.Float(
        string="Median first response (h)",
        aggregator="avg",
        readonly=True,
        help="In business hours, from the acceptance (premium) or the creation "
        "(basic) to the first public reply from staff.",
    )
    response_hours_p90 = fields.Float(
        string="90th percentile first response (h)",
        aggregator="avg",
        readonly=True,
        help="Nine tickets in ten were answered within this many business hours.",
    )
    deadline_met = fields.Float(
        string="Deadlines met (%)",
        aggregator="avg",
        readonly=True,
        help="100 for a premium ticket answered by its deadline, 0 for one "
        "answered late or still unanswered after it; deadlines still to come "
        "are not counted.",
    )
    answered = fields.Integer(string="Answered tickets", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.team_id AS team_id,
                   t.company_id AS company_id,
                   t.user_id AS user_id,
                   CASE WHEN t.approval_state = 'approved'
                        THEN t.approved_date ELSE t.create_date END AS date,
                   CASE WHEN t.approval_state = 'approved'
                        THEN 'premium' ELSE 'basic' END AS support_kind,
                   r.hours AS response_hours,
                   r.hours AS response_hours_median,
                   r.hours AS response_hours_p90,
                   CASE
                       WHEN t.premium_response_deadline IS NULL THEN NULL
                       WHEN t.premium_responded_date IS NOT NULL THEN
                           CASE WHEN t.premium_responded_date
                                     <= t.premium_response_deadline
                                THEN 100.0 ELSE 0.0 END
                       WHEN t.premium_response_deadline
                            < (now() AT TIME ZONE 'UTC') THEN 0.0
                   END AS deadline_met,
                   CASE WHEN t.first_response_date IS NULL THEN 0 ELSE 1 END
                       AS answered
              FROM helpdesk_ticket t,
                   LATERAL (
                       SELECT CASE WHEN t.first_response_date IS NOT NULL
                                    AND t.first_response_counted
                                   THEN t.first_response_hours END AS hours
                   ) r
             WHERE (t.approval_state = 'approved'
                    AND t.premium_response_deadline IS NOT NULL)
                OR (t.approval_state = 'none'
                    AND t.first_response_date IS NOT NULL)
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname in PERCENTILES:
            super()._read_group_select(aggregate_spec, query)  # access checks
            return SQL(
                "PERCENTILE_CONT(%s) WITHIN GROUP (ORDER BY %s)",
                PERCENTILES[fname],
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)
