# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import fields
from odoo.tests import HttpCase, freeze_time, tagged

from .common import PremiumSupportCase
from .cron import run_cron

OVERDUE_CRON = "helpdesk_premium_support.ir_cron_notify_premium_response_overdue"
COUNT_CRON = "helpdesk_premium_support.ir_cron_count_first_response_hours"

# Europe/Paris is UTC+1 in November 2026: business hours 09:00-18:30 there are
# 08:00-17:30 UTC. Dates are in the past, so that the report's "deadline
# passed" (the database clock) agrees with the frozen clock of the tests.
REPLY = "<p>We are looking into it.</p>"

STAFF_EMAIL = """\
From: Agent Smith <agent@vendor.test>
To: support@vendor.test
Subject: Re: Printer on fire
Message-Id: <staff-reply-{ticket}@vendor.test>
In-Reply-To: {parent}
References: {parent}
Date: Tue, 03 Nov 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Here is the fix.
"""

CUSTOMER_EMAIL = STAFF_EMAIL.replace(
    "Agent Smith <agent@vendor.test>", "Alice Azure <alice@azure.test>"
).replace("staff-reply", "customer-reply")


def utc(*args):
    return datetime(*args)


class PremiumResponseCase(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_50)
        cls.calendar = cls.env.ref(
            "helpdesk_premium_support.resource_calendar_premium_support"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Premium desk",
                "is_premium": True,
                "user_id": cls.manager.id,
                "user_ids": [(6, 0, (cls.agent | cls.manager).ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.basic_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Basic desk", "resource_calendar_id": cls.calendar.id}
        )

    def _accepted(self, when, team=None):
        """A ticket whose cost of 1 credit Alice accepts at ``when`` (UTC)."""
        ticket = self._ticket(
            self.alice.partner_id, team_id=(team or self.team).id, credit_cost=1
        )
        with freeze_time(when):
            ticket.with_user(self.agent).action_request_approval()
            ticket.with_user(self.alice).action_approve_cost(
                cost_version=ticket.cost_version
            )
        return ticket

    def _basic(self, created, team=None):
        """A basic ticket of Alice created at ``created`` (UTC)."""
        ticket = self._ticket(
            self.alice.partner_id, team_id=(team or self.basic_team).id
        )
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [created, ticket.id],
        )
        ticket.invalidate_recordset(["create_date"])
        return ticket

    def _customer_message(self, ticket):
        """The last message the customer received (the cost sent to them)."""
        return ticket.message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("helpdesk_premium_support.mt_ticket_cost")
            )
        )[:1]

    def _staff_reply(self, ticket, when, user=None):
        with freeze_time(when):
            ticket.with_user(user or self.agent).message_post(
                body=REPLY, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _staff_note(self, ticket):
        ticket.with_user(self.agent).message_post(
            body="<p>Internal: ask the printer team.</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _count_hours(self):
        """Run the job that counts first responses in business hours."""
        self.env.flush_all()
        run_cron(self, COUNT_CRON)
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestPremiumResponseDeadline(PremiumResponseCase):
    def test_a_premium_ticket_is_measured_on_helpdesk_mgmt_sla(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        sla = ticket.ticket_sla_ids
        self.assertEqual(len(sla), 1)
        self.assertTrue(sla.sla_id.premium_response)
        self.assertEqual(sla.sla_id.team_ids, self.team)
        self.assertEqual(sla.hours, 4)
        self.assertEqual(sla.state, "in_progress")
        self.assertEqual(sla.deadline, ticket.premium_response_deadline)
        # staff refreshing the ticket's SLAs keep it; the team's other SLAs
        # (from creation) do not take it in
        self.assertTrue(ticket.sla_fits)
        ticket.refresh_sla()
        self.assertEqual(ticket.ticket_sla_ids, sla)

    def test_basic_tickets_have_no_deadline(self):
        ticket = self._ticket(self.alice.partner_id, team_id=self.team.id)
        self.assertFalse(ticket.premium_response_deadline)
        self.assertFalse(ticket.ticket_sla_ids)
        ticket.credit_cost = 1
        ticket.with_user(self.agent).action_request_approval()
        self.assertFalse(ticket.premium_response_deadline, "pending is not premium")

    def test_deadline_across_a_night(self):
        # Tuesday 16:30 Paris: 2 hours that day, 2 on Wednesday from 09:00
        ticket = self._accepted(utc(2026, 11, 3, 15, 30))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 4, 10, 0))

    def test_deadline_across_a_weekend(self):
        # Friday 17:00 Paris: 1.5 hours that day, 2.5 on Monday
        ticket = self._accepted(utc(2026, 11, 6, 16, 0))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 9, 10, 30))

    def test_deadline_across_a_public_holiday(self):
        # Armistice Day, Wednesday 11 November, is a public holiday
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Armistice Day",
                "calendar_id": self.calendar.id,
                "date_from": utc(2026, 11, 10, 23, 0),
                "date_to": utc(2026, 11, 11, 23, 0),
            }
        )
        ticket = self._accepted(utc(2026, 11, 10, 15, 30))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 12, 10, 0))

    def test_deadline_across_a_suspension(self):
        self.env["helpdesk.support.suspension"].create(
            {
                "name": "Team seminar",
                "date_from": "2026-11-17",
                "date_to": "2026-11-19",
                "message": "<p>Back on Friday.</p>",
            }
        )
        # Monday 16:30 Paris: 2 hours that day, none Tuesday to Thursday
        ticket = self._accepted(utc(2026, 11, 16, 15, 30))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 20, 10, 0))

    def test_cost_accepted_outside_business_hours(self):
        # Saturday morning: the clock starts on Monday at 09:00
        ticket = self._accepted(utc(2026, 11, 7, 9, 0))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 9, 12, 0))
        # Tuesday 07:00 Paris, before the team starts
        ticket = self._accepted(utc(2026, 11, 3, 6, 0))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 3, 12, 0))
        # Tuesday 20:00 Paris, after the team left
        ticket = self._accepted(utc(2026, 11, 3, 19, 0))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 4, 12, 0))

    def test_the_team_response_time_applies_to_later_acceptances(self):
        self.team.premium_response_hours = 2
        ticket = self._accepted(utc(2026, 11, 3, 8, 0))
        self.assertEqual(ticket.premium_response_deadline, utc(2026, 11, 3, 10, 0))
        self.team.premium_response_hours = 8
        self.assertEqual(
            ticket.premium_response_deadline,
            utc(2026, 11, 3, 10, 0),
            "a promise made is kept",
        )
        later = self._accepted(utc(2026, 11, 3, 8, 0))
        self.assertEqual(later.premium_response_deadline, utc(2026, 11, 3, 16, 0))


@tagged("post_install", "-at_install")
class TestPremiumResponseReply(PremiumResponseCase):
    def test_a_staff_reply_from_the_backend_meets_the_deadline(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        self.assertFalse(ticket.premium_responded_date, "the acceptance note")
        self._staff_reply(ticket, utc(2026, 11, 3, 10, 30))
        self.assertEqual(ticket.premium_responded_date, utc(2026, 11, 3, 10, 30))
        self.assertEqual(ticket.ticket_sla_ids.state, "accomplished")
        self._count_hours()
        self.assertEqual(ticket.first_response_hours, 1.5)
        with freeze_time(utc(2026, 11, 3, 11, 0)):
            self.assertEqual(ticket.premium_response_status, "met")
        # the first reply only
        self._staff_reply(ticket, utc(2026, 11, 4, 10, 0))
        self.assertEqual(ticket.premium_responded_date, utc(2026, 11, 3, 10, 30))

    def test_a_late_reply_is_recorded_as_missed(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        self._staff_reply(ticket, utc(2026, 11, 4, 9, 0))
        self.assertEqual(ticket.premium_responded_date, utc(2026, 11, 4, 9, 0))
        # 10:00-18:30 on Tuesday, 09:00-10:00 on Wednesday (Paris)
        self._count_hours()
        self.assertEqual(ticket.first_response_hours, 9.5)
        self.assertEqual(ticket.ticket_sla_ids.state, "expired")
        self.assertEqual(ticket.premium_response_status, "missed")

    def test_a_staff_reply_by_email_meets_the_deadline(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        parent = self._customer_message(ticket)
        raw = STAFF_EMAIL.format(ticket=ticket.id, parent=parent.message_id)
        with freeze_time(utc(2026, 11, 3, 10, 0)):
            self.env["mail.thread"].sudo().message_process(
                "helpdesk.ticket", raw, thread_id=ticket.id
            )
        reply = ticket.message_ids.filtered(
            lambda m: m.message_id == f"<staff-reply-{ticket.id}@vendor.test>"
        )
        self.assertEqual(reply.author_id, self.agent.partner_id)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(ticket.premium_responded_date, utc(2026, 11, 3, 10, 0))

    def test_notes_and_customer_messages_are_not_replies(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        with freeze_time(utc(2026, 11, 3, 10, 0)):
            self._staff_note(ticket)
            ticket.sudo().message_post(
                body="<p>Any news?</p>",
                author_id=self.alice.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            parent = self._customer_message(ticket)
            self.env["mail.thread"].sudo().message_process(
                "helpdesk.ticket",
                CUSTOMER_EMAIL.format(ticket=ticket.id, parent=parent.message_id),
                thread_id=ticket.id,
            )
            # the overdue notification to the team leader is a note too
            ticket._notify_premium_response_overdue()
        self.assertFalse(ticket.premium_responded_date)
        self.assertEqual(ticket.ticket_sla_ids.state, "in_progress")

    def test_a_basic_ticket_gets_its_first_response_time(self):
        ticket = self._basic(utc(2026, 11, 6, 16, 0))
        self._staff_reply(ticket, utc(2026, 11, 9, 9, 0))
        self.assertEqual(ticket.first_response_date, utc(2026, 11, 9, 9, 0))
        self._count_hours()
        self.assertEqual(ticket.first_response_hours, 2.5)
        self.assertFalse(ticket.premium_responded_date)
        self.assertFalse(ticket.premium_response_deadline)

    def test_the_reply_leaves_its_business_hours_to_the_job(self):
        premium = self._accepted(utc(2026, 11, 3, 9, 0))
        basic = self._basic(utc(2026, 11, 3, 9, 0))
        for ticket in premium | basic:
            self._staff_reply(ticket, utc(2026, 11, 3, 11, 0))
        self.assertEqual(
            (premium | basic).mapped("first_response_counted"), [False, False]
        )
        self.assertEqual((premium | basic).mapped("first_response_hours"), [0.0, 0.0])
        self.env.flush_all()
        report = self.env["helpdesk.premium.response.report"].search(
            [("ticket_id", "in", (premium | basic).ids)], order="ticket_id"
        )
        self.assertEqual(report.mapped("answered"), [1, 1])
        self.assertEqual(report.mapped("response_hours"), [0.0, 0.0])
        basic.action_archive()  # archived tickets are counted too
        self._count_hours()
        self.assertEqual((premium | basic).mapped("first_response_hours"), [2.0, 2.0])
        self.assertEqual(
            (premium | basic).mapped("first_response_counted"), [True, True]
        )
        # counted once: a later run leaves them alone
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET first_response_hours = 7 WHERE id = %s",
            [premium.id],
        )
        premium.invalidate_recordset(["first_response_hours"])
        self._count_hours()
        self.assertEqual(premium.first_response_hours, 7.0)

    def test_counting_reads_the_working_time_once_per_team(self):
        def answered(count):
            tickets = self.env["helpdesk.ticket"]
            for n in range(count):
                ticket = self._basic(utc(2026, 11, 2 + n % 4, 8, 0))
                self._staff_reply(ticket, utc(2026, 11, 6, 16, 0))
                tickets |= ticket
            return tickets

        def queries(tickets):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            tickets._count_first_response_hours()
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        queries(answered(1))  # warm the caches
        one, twelve = answered(1), answered(12)
        self.assertEqual(queries(twelve), queries(one))
        # created Monday 2 to Thursday 5 November 09:00 Paris, answered Friday
        # 17:00: 4 to 1 days of 9.5 h, then 8 h
        self.assertEqual(
            twelve[:4].mapped("first_response_hours"), [46.0, 36.5, 27.0, 17.5]
        )

    def test_reopening_keeps_the_premium_response(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        in_progress = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        answered = self._accepted(utc(2026, 11, 3, 9, 0))
        self._staff_reply(answered, utc(2026, 11, 3, 10, 0))
        unanswered = self._accepted(utc(2026, 11, 3, 9, 0))
        deadline = utc(2026, 11, 3, 13, 0)
        with freeze_time(utc(2026, 11, 3, 11, 0)):
            (answered | unanswered).stage_id = done
        with freeze_time(utc(2026, 11, 5, 9, 0)):
            Ticket = self.env["helpdesk.ticket"]
            overdue = [("premium_response_overdue", "=", True)]
            self.assertFalse(Ticket.search(overdue), "closed tickets are not chased")
            (answered | unanswered).stage_id = in_progress
            self.assertEqual(answered.premium_responded_date, utc(2026, 11, 3, 10, 0))
            self.assertEqual(answered.ticket_sla_ids.state, "accomplished")
            self.assertEqual(answered.premium_response_status, "met")
            # the clock was not restarted by the reopening
            self.assertEqual(unanswered.premium_response_deadline, deadline)
            self.assertEqual(unanswered.ticket_sla_ids.state, "in_progress")
            self.assertEqual(Ticket.search(overdue), unanswered)


@tagged("post_install", "-at_install")
class TestPremiumResponseOverdue(PremiumResponseCase):
    def test_the_overdue_filter(self):
        overdue = self._accepted(utc(2026, 11, 3, 9, 0))
        answered = self._accepted(utc(2026, 11, 3, 9, 0))
        self._staff_reply(answered, utc(2026, 11, 3, 10, 0))
        not_yet = self._accepted(utc(2026, 11, 3, 12, 0))
        basic = self._ticket(self.alice.partner_id, team_id=self.team.id)
        tickets = overdue | answered | not_yet | basic
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(utc(2026, 11, 3, 14, 0)):
            self.assertEqual(
                Ticket.search(
                    [("id", "in", tickets.ids), ("premium_response_overdue", "=", True)]
                ),
                overdue,
            )
            self.assertEqual(
                Ticket.search(
                    [
                        ("id", "in", tickets.ids),
                        ("premium_response_overdue", "=", False),
                    ]
                ),
                answered | not_yet | basic,
            )
            self.assertEqual(overdue.premium_response_status, "overdue")
            self.assertEqual(not_yet.premium_response_status, "due")
        with freeze_time(utc(2026, 11, 3, 15, 30)):
            not_yet.invalidate_recordset(["premium_response_status"])
            self.assertEqual(not_yet.premium_response_status, "due_soon")
        # the filter of the search view
        view = self.env.ref(
            "helpdesk_premium_support.helpdesk_ticket_view_search_premium_response"
        )
        self.assertIn('name="premium_response_overdue"', view.arch_db)

    def test_the_team_leader_is_told_once(self):
        ticket = self._accepted(utc(2026, 11, 3, 9, 0))
        leader = self.manager.partner_id

        def notices():
            return ticket.message_ids.filtered(lambda m: leader in m.partner_ids)

        with freeze_time(utc(2026, 11, 3, 11, 0)):
            run_cron(self, OVERDUE_CRON)
        self.assertFalse(notices(), "not due yet")
        with freeze_time(utc(2026, 11, 3, 13, 30)):
            run_cron(self, OVERDUE_CRON)
            run_cron(self, OVERDUE_CRON)
        self.assertEqual(len(notices()), 1)
        self.assertEqual(notices().subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("was due by", notices().body)
        self.assertTrue(ticket.premium_overdue_notified)
        self.assertFalse(ticket.premium_responded_date)
        with freeze_time(utc(2026, 11, 4, 12, 30)):
            run_cron(self, OVERDUE_CRON)
        self.assertEqual(len(notices()), 1)

    def test_the_overdue_check_is_one_query(self):
        Ticket = self.env["helpdesk.ticket"]
        now = utc(2026, 11, 5, 9, 0)
        self._accepted(utc(2026, 11, 3, 9, 0))
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(len(Ticket._get_premium_response_overdue_tickets(now)), 1)
        for _index in range(20):
            self._accepted(utc(2026, 11, 3, 9, 0))
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(len(Ticket._get_premium_response_overdue_tickets(now)), 21)


@tagged("post_install", "-at_install")
class TestPremiumResponsePortal(PremiumResponseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def test_the_promise_in_the_customer_language_and_time_zone(self):
        # due Wednesday 4 November, 10:00 UTC
        ticket = self._accepted(utc(2026, 11, 3, 15, 30))
        customer = self.alice.partner_id
        with freeze_time(utc(2026, 11, 3, 16, 0)):
            customer.write({"lang": "en_US", "tz": "Europe/Paris"})
            self.assertEqual(
                ticket._get_premium_response_promise(customer),
                "We will answer by Wednesday 11:00",
            )
            customer.write({"lang": "fr_FR", "tz": "America/Montreal"})
            self.assertEqual(
                ticket._get_premium_response_promise(customer),
                "Nous vous répondrons d'ici mercredi 05:00",
            )
            # a week or more ahead, the date is said too
        with freeze_time(utc(2026, 10, 27, 16, 0)):
            customer.write({"lang": "en_US", "tz": "Europe/Paris"})
            self.assertEqual(
                ticket._get_premium_response_promise(customer),
                "We will answer by Wednesday 4 November 11:00",
            )
        with freeze_time(utc(2026, 11, 4, 16, 0)):
            self.assertIn(
                "it was due by Wednesday 11:00",
                ticket._get_premium_response_promise(customer),
            )
        self._staff_reply(ticket, utc(2026, 11, 4, 16, 30))
        self.assertEqual(ticket._get_premium_response_promise(customer), "")

    def test_no_promise_for_basic_or_pending_tickets(self):
        ticket = self._ticket(self.alice.partner_id, team_id=self.team.id)
        self.assertEqual(
            ticket._get_premium_response_promise(self.alice.partner_id), ""
        )


@tagged("post_install", "-at_install")
class TestPremiumResponsePortalPage(PremiumResponseCase, HttpCase):
    def test_the_ticket_page_says_when_the_answer_is_due(self):
        ticket = self._accepted(fields.Datetime.now())
        self.alice.partner_id.write({"lang": "en_US", "tz": "Europe/Paris"})
        promise = ticket._get_premium_response_promise(self.alice.partner_id)
        self.assertTrue(promise.startswith("We will answer by "))
        self.authenticate("alice", "alice")
        response = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(promise, response.text)


@tagged("post_install", "-at_install")
class TestPremiumResponseReport(PremiumResponseCase):
    def _answered_basic(self, created, replied):
        ticket = self._basic(created)
        self._staff_reply(ticket, replied)
        return ticket

    def test_the_report_figures_on_a_known_set_of_tickets(self):
        # premium: accepted Tuesday 3 November 09:00 Paris, due at 13:00;
        # answered after 1, 2, 3, 4 and 11 business hours; one never answered
        for hours in (1, 2, 3, 4):
            self._staff_reply(
                self._accepted(utc(2026, 11, 3, 8, 0)), utc(2026, 11, 3, 8 + hours, 0)
            )
        self._staff_reply(
            self._accepted(utc(2026, 11, 3, 8, 0)), utc(2026, 11, 4, 9, 30)
        )
        self._accepted(utc(2026, 11, 3, 8, 0))
        # basic: created Tuesday 09:00 Paris, answered after 2 and 6 hours
        self._answered_basic(utc(2026, 11, 3, 8, 0), utc(2026, 11, 3, 10, 0))
        self._answered_basic(utc(2026, 11, 3, 8, 0), utc(2026, 11, 3, 14, 0))
        # another month, another team: not in November's figures
        self._answered_basic(utc(2026, 10, 6, 7, 0), utc(2026, 10, 6, 8, 0))
        self._count_hours()
        self.env.flush_all()
        Report = self.env["helpdesk.premium.response.report"]
        rows = Report.formatted_read_group(
            [("team_id", "in", (self.team | self.basic_team).ids)],
            ["date:month", "support_kind"],
            [
                "response_hours_median:avg",
                "response_hours_p90:avg",
                "response_hours:avg",
                "deadline_met:avg",
                "answered:sum",
                "__count",
            ],
        )
        figures = {
            (row["date:month"][1], row["support_kind"]): (
                round(row["response_hours_median:avg"], 2),
                round(row["response_hours_p90:avg"], 2),
                round(row["deadline_met:avg"] or 0, 2),
                row["answered:sum"],
                row["__count"],
            )
            for row in rows
        }
        self.assertEqual(
            figures,
            {
                # median 3, 90th percentile 4 + 0.6 × (11 - 4); 4 met of 6
                ("November 2026", "premium"): (3.0, 8.2, 66.67, 5, 6),
                # median 2 + 0.5 × (6 - 2), 90th percentile 2 + 0.9 × 4
                ("November 2026", "basic"): (4.0, 5.6, 0, 2, 2),
                ("October 2026", "basic"): (1.0, 1.0, 0, 1, 1),
            },
        )
        by_team = Report._read_group(
            [("team_id", "in", (self.team | self.basic_team).ids)],
            ["team_id"],
            ["response_hours_median:avg"],
        )
        self.assertEqual(dict(by_team), {self.team: 3.0, self.basic_team: 2.0})


@tagged("post_install", "-at_install")
class TestPremiumResponseQueryBudget(PremiumResponseCase):
    """Posting a message on a premium ticket costs at most 10% more queries
    than on a basic one: the first reply (which records the first response of
    both) and the next ones (which read the ticket's cached fields only)."""

    def _queries(self, ticket, when):
        ticket = ticket.with_user(self.agent)
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(when):
            start = self.env.cr.sql_log_count
            ticket.message_post(
                body=REPLY, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

    def _pair(self):
        """A premium ticket accepted on Tuesday 3 November at 09:00 (Paris) and
        a basic one created at the same time with a message from the
        customer."""
        premium = self._accepted(utc(2026, 11, 3, 8, 0))
        basic = self._basic(utc(2026, 11, 3, 8, 0), team=self.team)
        # both have a history the customer received (the premium one: its cost)
        with freeze_time(utc(2026, 11, 3, 8, 0)):
            basic.sudo().message_post(
                body="<p>Our printer is on fire.</p>",
                author_id=self.alice.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return premium, basic

    def test_posting_on_a_premium_ticket_costs_at_most_10_percent_more(self):
        # a first pair warms the caches (access rules, xmlids, calendars)
        for ticket in self._pair():
            self._queries(ticket, utc(2026, 11, 3, 9, 0))
        premium, basic = self._pair()
        counts = {}
        for reply, when in (
            ("first", utc(2026, 11, 3, 9, 0)),
            ("next", utc(2026, 11, 3, 10, 0)),
        ):
            counts[reply] = (self._queries(premium, when), self._queries(basic, when))
        self.assertEqual(premium.premium_responded_date, utc(2026, 11, 3, 9, 0))
        self.assertEqual(premium.ticket_sla_ids.state, "accomplished")
        self._count_hours()
        self.assertEqual(premium.first_response_hours, 1.0)
        self.assertEqual(basic.first_response_hours, 1.0)
        for reply, (on_premium, on_basic) in counts.items():
            self.assertLessEqual(
                on_premium,
                on_basic * 1.10,
                f"{reply} reply: {on_premium} queries on a premium ticket, "
                f"{on_basic} on a basic one",
            )


@tagged("post_install", "-at_install")
class TestPremiumResponseBackfill(PremiumResponseCase):
    def _as_before_the_premium_response(self, tickets):
        """Put ``tickets`` back as an addon without the premium response left
        them: no premium SLA, no deadline, no first response."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            DELETE FROM helpdesk_ticket_sla WHERE ticket_id = ANY(%(ids)s);
            UPDATE helpdesk_ticket
               SET premium_response_deadline = NULL,
                   premium_responded_date = NULL,
                   first_response_date = NULL,
                   first_response_hours = NULL,
                   first_response_counted = NULL
             WHERE id = ANY(%(ids)s);
            """,
            {"ids": tickets.ids},
        )
        self.env.invalidate_all()

    def test_an_upgrade_gives_accepted_tickets_their_deadline_and_response(self):
        answered = self._accepted(utc(2026, 11, 3, 8, 0))
        with freeze_time(utc(2026, 11, 3, 9, 0)):
            self._staff_note(answered)
        self._staff_reply(answered, utc(2026, 11, 3, 10, 0))
        self._staff_reply(answered, utc(2026, 11, 3, 11, 0))
        forgotten = self._accepted(utc(2026, 11, 3, 8, 0))
        recent = self._accepted(utc(2026, 11, 3, 8, 0))
        self._as_before_the_premium_response(answered | forgotten)
        recent_sla = recent.ticket_sla_ids

        with freeze_time(utc(2026, 11, 10, 8, 0)):
            self.env["helpdesk.ticket"]._backfill_premium_responses()
            overdue = self.env["helpdesk.ticket"].search(
                [("premium_response_overdue", "=", True)]
            )
        # accepted Tuesday 09:00 Paris: due at 13:00, answered at 11:00 (the
        # note is no reply)
        self.assertEqual(answered.premium_response_deadline, utc(2026, 11, 3, 12, 0))
        self.assertEqual(answered.premium_responded_date, utc(2026, 11, 3, 10, 0))
        self.assertEqual(answered.ticket_sla_ids.state, "accomplished")
        self._count_hours()
        self.assertEqual(answered.first_response_hours, 2.0)
        # never answered: overdue, listed, but the past is not announced
        self.assertEqual(forgotten.premium_response_deadline, utc(2026, 11, 3, 12, 0))
        self.assertFalse(forgotten.premium_responded_date)
        self.assertIn(forgotten, overdue)
        self.assertTrue(forgotten.premium_overdue_notified)
        # accepted after the upgrade: untouched
        self.assertEqual(recent.ticket_sla_ids, recent_sla)
        self.assertFalse(recent.premium_overdue_notified)
