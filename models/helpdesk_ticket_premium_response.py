# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

DUE_SOON = timedelta(hours=1)


class HelpdeskTicket(models.Model):
    """The premium response: an accepted ticket must get its first public
    reply from staff within its team's premium response time, counted in
    business hours from the acceptance. The deadline is kept by
    helpdesk_mgmt_sla (one ticket SLA per accepted ticket); the first
    response of every ticket, premium or basic, is kept for the report."""

    _inherit = "helpdesk.ticket"

    premium_response_deadline = fields.Datetime(
        compute="_compute_premium_response_deadline",
        store=True,
        readonly=True,
        copy=False,
        help="When staff must have given this accepted ticket its first public "
        "reply: the team's premium response time, counted in its business "
        "hours from the acceptance. Empty for basic tickets.",
    )
    premium_responded_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="The first public reply from staff after the acceptance.",
    )
    premium_response_overdue = fields.Boolean(
        compute="_compute_premium_response_status",
        search="_search_premium_response_overdue",
    )
    premium_response_status = fields.Selection(
        selection=[
            ("due", "Due"),
            ("due_soon", "Due soon"),
            ("overdue", "Overdue"),
            ("met", "Met"),
            ("missed", "Missed"),
        ],
        string="Premium response",
        compute="_compute_premium_response_status",
    )
    premium_overdue_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The team leader was told that the deadline passed unanswered.",
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="The first public reply from staff: after the acceptance for a "
        "premium ticket, after the creation for a basic one.",
    )
    first_response_hours = fields.Float(
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Business hours from the acceptance (premium) or the creation "
        "(basic) to the first public reply from staff, counted by a scheduled "
        "job within a quarter of an hour of the reply.",
    )
    first_response_counted = fields.Boolean(
        readonly=True,
        copy=False,
        help="The business hours of the first response are counted.",
    )

    _premium_response_pending_idx = models.Index(
        "(premium_response_deadline) WHERE premium_responded_date IS NULL "
        "AND premium_response_deadline IS NOT NULL"
    )
    _first_response_uncounted_idx = models.Index(
        "(id) WHERE first_response_date IS NOT NULL "
        "AND first_response_counted IS NOT TRUE"
    )

    @api.depends("ticket_sla_ids.deadline", "ticket_sla_ids.sla_id")
    def _compute_premium_response_deadline(self):
        for ticket in self:
            ticket.premium_response_deadline = ticket._get_premium_response_sla()[
                :1
            ].deadline

    @api.depends("premium_response_deadline", "premium_responded_date")
    def _compute_premium_response_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            deadline = ticket.premium_response_deadline
            responded = ticket.premium_responded_date
            if not deadline:
                status = False
            elif responded:
                status = "met" if responded <= deadline else "missed"
            elif deadline < now:
                status = "overdue"
            elif deadline - now <= DUE_SOON:
                status = "due_soon"
            else:
                status = "due"
            ticket.premium_response_status = status
            ticket.premium_response_overdue = status == "overdue"

    def _search_premium_response_overdue(self, operator, value):
        if operator in ("in", "not in"):
            positive = True in value
            positive = positive if operator == "in" else not positive
        elif operator in ("=", "!="):
            positive = bool(value) == (operator == "=")
        else:
            return NotImplemented
        domain = self._get_premium_response_overdue_domain()
        return domain if positive else ~domain

    def write(self, vals):
        res = super().write(vals)
        if vals.get("approval_state") == "approved" or "approved_date" in vals:
            self._start_premium_response()
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if self._awaits_first_response() and self._is_staff_public_reply(
            message, msg_vals
        ):
            self._record_first_response(message.date or fields.Datetime.now())
        return res

    # helpdesk_mgmt_sla: the premium response SLA is not one of the SLAs found
    # for a ticket by team, tags and categories at its creation; it is added
    # at the acceptance and kept when staff refresh the ticket's SLAs
    def _get_sla_ticket_domain(self):
        return Domain(super()._get_sla_ticket_domain()) & Domain(
            "premium_response", "=", False
        )

    def _get_sla(self):
        return super()._get_sla() | self._get_premium_response_sla().sla_id

    def _get_premium_response_sla(self):
        """The ticket SLAs (helpdesk_mgmt_sla) of the premium response."""
        return self.ticket_sla_ids.filtered("sla_id.premium_response")

    def _start_premium_response(self):
        """Start the premium response clock of these tickets at their
        acceptance: a deadline in the team's business hours, none yet
        answered."""
        TicketSla = self.env["helpdesk.ticket.sla"].sudo()
        for ticket in self.sudo():
            if (
                ticket.approval_state != "approved"
                or not ticket.approved_date
                or ticket.premium_responded_date
            ):
                continue
            ticket._get_premium_response_sla().unlink()
            TicketSla.create(
                {
                    "ticket_id": ticket.id,
                    "sla_id": ticket.team_id._get_premium_response_sla().id,
                }
            )
            ticket.write(
                {
                    "first_response_date": False,
                    "first_response_hours": 0.0,
                    "first_response_counted": False,
                    "premium_overdue_notified": False,
                }
            )

    @api.model
    def _backfill_premium_responses(self):
        """Give the tickets accepted before the premium response existed (an
        upgrade) their deadline, counted from their acceptance, and their
        first response, the first public reply from staff already in their
        chatter. Deadlines that passed unanswered before are not announced to
        team leaders: the overdue filter lists them."""
        tickets = (
            self.sudo()
            .search(
                [("approval_state", "=", "approved"), ("approved_date", "!=", False)]
            )
            .filtered(lambda ticket: not ticket._get_premium_response_sla())
        )
        tickets._start_premium_response()
        now = fields.Datetime.now()
        for ticket in tickets:
            replies = ticket.message_ids.filtered(
                lambda message, ticket=ticket: (
                    message.date >= ticket.approved_date
                    and ticket._is_staff_public_reply(message, {})
                )
            )
            deadline = ticket.premium_response_deadline
            if replies:
                ticket._record_first_response(min(replies.mapped("date")))
            elif deadline and deadline < now:
                ticket.premium_overdue_notified = True

    def _awaits_first_response(self):
        """Whether the next public reply from staff is this ticket's first
        response: after the acceptance for a premium ticket, after the
        creation for a basic one (never while a cost waits or was cancelled).
        Read from the cache: no query on the answered tickets."""
        if len(self) != 1:
            return False
        if self.approval_state == "approved":
            return not self.premium_responded_date
        return self.approval_state == "none" and not self.first_response_date

    def _is_staff_public_reply(self, message, msg_vals):
        """A message the customer receives (a comment or an email, with the
        public discussion subtype), written by an internal user: not a note, not
        a customer's message, not an automatic notification. Staff writing in
        the backend are the current user: read from the cache."""
        msg_vals = msg_vals or {}
        message_type = msg_vals.get("message_type", message.message_type)
        if message_type not in ("comment", "email"):
            return False
        xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id
        if msg_vals.get("subtype_id", message.subtype_id.id) != xmlid_to_id(
            "mail.mt_comment"
        ):
            return False
        author_id = msg_vals.get("author_id", message.author_id.id)
        if not author_id or author_id == xmlid_to_id("base.partner_root"):
            return False
        user = self.env.user
        if author_id == user.partner_id.id:
            return not user.share
        author = self.env["res.partner"].sudo().browse(author_id)
        return any(not author_user.share for author_user in author.user_ids)

    def _record_first_response(self, date):
        """Record a first public reply from staff sent at ``date``: a premium
        ticket's response is met (or missed). Its business hours are counted
        later, by :meth:`_cron_count_first_response_hours`: a reply costs what
        a reply costs on a plain helpdesk_mgmt ticket."""
        self.ensure_one()
        ticket = self.sudo()
        if ticket.approval_state == "approved":
            ticket._meet_premium_response(date)
        else:
            ticket.write({"first_response_date": date, "first_response_counted": False})

    def _meet_premium_response(self, date):
        """Record the premium response sent at ``date`` on this ticket and
        close its premium response SLA (helpdesk_mgmt_sla's states:
        accomplished in time, expired when late), in one statement: it runs
        inside every first reply."""
        self.ensure_one()
        written = [
            "premium_responded_date",
            "first_response_date",
            "first_response_counted",
        ]
        self.flush_recordset(written)
        TicketSla = self.env["helpdesk.ticket.sla"]
        TicketSla.flush_model(["state", "deadline", "sla_id", "ticket_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH sla AS (
                    UPDATE helpdesk_ticket_sla ts
                       SET state = CASE
                               WHEN ts.deadline IS NULL OR ts.deadline >= %(date)s
                               THEN 'accomplished' ELSE 'expired' END,
                           write_date = %(now)s,
                           write_uid = %(uid)s
                      FROM helpdesk_sla sla
                     WHERE sla.id = ts.sla_id
                       AND sla.premium_response
                       AND ts.ticket_id = %(ticket)s
                )
                UPDATE helpdesk_ticket
                   SET premium_responded_date = %(date)s,
                       first_response_date = %(date)s,
                       first_response_counted = FALSE,
                       write_date = %(now)s,
                       write_uid = %(uid)s
                 WHERE id = %(ticket)s
                """,
                date=date,
                now=fields.Datetime.now(),
                uid=self.env.uid,
                ticket=self.id,
            )
        )
        TicketSla.invalidate_model(["state", "write_date", "write_uid"])
        self.invalidate_recordset([*written, "write_date", "write_uid"])
        self.modified(written)

    @api.model
    def _cron_count_first_response_hours(self, batch_size=500):
        """Count, in business hours, the first responses sent since the last
        run."""
        domain = Domain("first_response_date", "!=", False) & Domain(
            "first_response_counted", "=", False
        )
        self._run_in_batches(
            lambda size: (
                self.sudo()
                .with_context(active_test=False)
                .search(domain, order="id", limit=size)
            ),
            lambda tickets: tickets._count_first_response_hours(),
            batch_size,
        )

    @api.model
    def _run_in_batches(self, next_batch, process, batch_size):
        """The scheduled actions' loop: ``process`` each recordset that
        ``next_batch(batch_size)`` returns (processing takes its records out
        of the next one), each batch committed with the scheduler's progress,
        until a batch is short or the scheduler's time is up."""
        while True:
            batch = next_batch(batch_size)
            process(batch)
            more = len(batch) == batch_size
            time_left = self.env["ir.cron"]._commit_progress(
                len(batch), remaining=int(more)
            )
            if not more or not time_left:
                return

    def _count_first_response_hours(self):
        """Business hours from the acceptance (premium) or the creation
        (basic; suspensions do not stop its clock) to the first response, in
        the team's working time, read once per team and kind."""
        tickets = self.sudo()
        groups = tickets.grouped(
            lambda ticket: (
                ticket.team_id,
                ticket.company_id or self.env.company,
                ticket.approval_state == "approved",
            )
        )
        for (team, company, premium), same in groups.items():
            hours = team._get_premium_work_hours(
                [
                    (
                        ticket.approved_date if premium else ticket.create_date,
                        ticket.first_response_date,
                    )
                    for ticket in same
                ],
                company,
                suspensions=premium,
            )
            for ticket, counted in zip(same, hours, strict=True):
                ticket.write(
                    {"first_response_hours": counted, "first_response_counted": True}
                )
