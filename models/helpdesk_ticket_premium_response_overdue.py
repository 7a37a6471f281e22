# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_datetime


class HelpdeskTicket(models.Model):
    """A premium response deadline passing unanswered (the overdue check, one
    query, and the team leader's notice), and the promise the customer reads."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _get_premium_response_overdue_domain(self, now=None):
        """Accepted open tickets whose deadline passed with no public reply
        from staff."""
        return Domain(
            [
                ("premium_response_deadline", "<", now or fields.Datetime.now()),
                ("premium_responded_date", "=", False),
                ("approval_state", "=", "approved"),
                ("stage_id.closed", "=", False),
            ]
        )

    @api.model
    def _get_premium_response_overdue_tickets(self, now=None, limit=None):
        """The overdue tickets whose team leader was not told yet: one query,
        whatever their number."""
        return self.sudo().search(
            self._get_premium_response_overdue_domain(now)
            & Domain("premium_overdue_notified", "=", False),
            order="premium_response_deadline, id",
            limit=limit,
        )

    @api.model
    def _cron_notify_premium_response_overdue(self, batch_size=200):
        """Tell each team leader, once per ticket, of the premium deadlines
        that passed unanswered."""
        now = fields.Datetime.now()

        def notify(tickets):
            for ticket in tickets:
                ticket._notify_premium_response_overdue()
            tickets.write({"premium_overdue_notified": True})

        self._run_in_batches(
            lambda size: self._get_premium_response_overdue_tickets(now, size),
            notify,
            batch_size,
        )

    def _notify_premium_response_overdue(self):
        """A note on the ticket for its team leader (else its assignee)."""
        self.ensure_one()
        recipient = self.team_id.user_id or self.user_id
        self.message_post(
            body=self.env._(
                "The premium response to this ticket was due by %(deadline)s "
                "and no public reply has been sent yet.",
                deadline=format_datetime(
                    self.env,
                    self.premium_response_deadline,
                    tz=recipient.tz or self.team_id._get_support_tz(),
                    dt_format="EEEE d MMMM HH:mm",
                    lang_code=recipient.lang,
                ),
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=recipient.partner_id.ids,
        )

    def _get_premium_response_promise(self, partner):
        """The portal's sentence on an accepted ticket waiting for its first
        reply ("We will answer by Tuesday 11:30"), in the language and time
        zone of ``partner`` (the team's time zone if it has none)."""
        self.ensure_one()
        deadline = self.premium_response_deadline
        if not deadline or self.premium_responded_date:
            return ""
        lang = partner.lang or self.env.lang
        env = self.with_context(lang=lang).env
        tz = partner.tz or self.team_id._get_support_tz()
        now = fields.Datetime.now()
        within_a_week = abs(deadline - now) < timedelta(days=6)
        when = format_datetime(
            env,
            deadline,
            tz=tz,
            dt_format="EEEE HH:mm" if within_a_week else "EEEE d MMMM HH:mm",
            lang_code=lang,
        )
        if deadline < now:
            return env._(
                "Our answer is late: it was due by %(when)s. It is on its way.",
                when=when,
            )
        if not partner.tz:
            when = f"{when} ({tz})"
        return env._("We will answer by %(when)s", when=when)
