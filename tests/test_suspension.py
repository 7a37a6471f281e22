# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, timedelta

from psycopg2.errors import CheckViolation

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import PremiumSupportCase
from .cron import run_cron

BEFORE = "2026-08-10 10:00:00"
DURING = "2026-08-20 10:00:00"


@tagged("post_install", "-at_install")
class TestSuspension(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)
        cls.Suspension = cls.env["helpdesk.support.suspension"]
        cls.summer = cls.Suspension.create(
            {
                "name": "Summer closure",
                "date_from": "2026-08-15",
                "date_to": "2026-09-15",
                "message": "<p>We are on summer break.</p>",
            }
        )

    def _spends(self, ticket):
        return self.Line.sudo().search(
            [("ticket_id", "=", ticket.id), ("kind", "=", "spend")]
        )

    def test_judged_by_the_clock_in_the_support_time_zone(self):
        current = self.Suspension._get_current
        # 14 August, 23:30 in UTC is already 15 August in Paris
        self.assertEqual(
            current(self.company, now=datetime(2026, 8, 14, 22, 30)), self.summer
        )
        self.assertFalse(
            current(self.company, tz="UTC", now=datetime(2026, 8, 14, 22, 30))
        )
        self.assertFalse(current(self.company, now=datetime(2026, 8, 14, 21, 30)))
        # the last day is included, in Paris
        self.assertTrue(current(self.company, now=datetime(2026, 9, 15, 21, 30)))
        self.assertFalse(current(self.company, now=datetime(2026, 9, 15, 22, 30)))
        with freeze_time(DURING):
            self.assertEqual(current(self.company), self.summer)
        with freeze_time(BEFORE):
            self.assertFalse(current(self.company))

    def test_archived_or_other_company_suspensions_do_not_count(self):
        other = self.env["res.company"].create({"name": "Other vendor"})
        self.summer.company_id = other
        with freeze_time(DURING):
            self.assertFalse(self.Suspension._get_current(self.company))
            self.assertTrue(self.Suspension._get_current(other))
        self.summer.write({"company_id": self.company.id, "active": False})
        with freeze_time(DURING):
            self.assertFalse(self.Suspension._get_current(self.company))

    def test_a_suspension_cannot_end_before_it_starts(self):
        count = self.Suspension.search_count([])
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(CheckViolation) as refusal,
            self.env.cr.savepoint(),
        ):
            self.Suspension.create(
                {
                    "name": "Backwards",
                    "date_from": "2026-12-24",
                    "date_to": "2026-12-20",
                    "message": "<p>x</p>",
                }
            )
            self.env.flush_all()
        self.assertIn("dates_in_order", str(refusal.exception))
        # the transaction goes on after the refusal, without the suspension
        self.assertEqual(self.Suspension.search_count([]), count)

    def test_changing_a_pending_cost_is_refused_and_reminders_pause(self):
        with freeze_time(BEFORE):
            ticket = self._ticket(self.alice.partner_id, credit_cost=2)
            ticket.with_user(self.agent).action_request_approval()
        with freeze_time(DURING):
            with self.assertRaisesRegex(UserError, "suspended"):
                ticket.with_user(self.agent).credit_cost = 3
            run_cron(self)
        self.assertEqual(ticket.credit_cost, 2)
        self.assertEqual(ticket.cost_version, 1)
        self.assertFalse(ticket.approval_reminded)
        self.assertEqual(ticket.approval_state, "pending")

    def test_suspension_days_do_not_count_towards_reminder_and_expiry(self):
        # sent a day and a half before the break: after it, the customer has
        # the rest of the 3 days before a reminder and of the 14 before expiry
        with freeze_time("2026-08-13 10:00:00"):
            ticket = self._ticket(self.alice.partner_id, credit_cost=2)
            ticket.with_user(self.agent).action_request_approval()
        with freeze_time("2026-09-16 09:00:00"):  # under 2 days to accept so far
            run_cron(self)
        self.assertFalse(ticket.approval_reminded)
        self.assertEqual(ticket.approval_state, "pending")
        with freeze_time("2026-09-17 12:00:00"):  # over 3 days
            run_cron(self)
        self.assertTrue(ticket.approval_reminded)
        self.assertEqual(ticket.approval_state, "pending")
        with freeze_time("2026-09-27 12:00:00"):  # about 13 days
            run_cron(self)
        self.assertEqual(ticket.approval_state, "pending")
        with freeze_time("2026-09-28 12:00:00"):  # over 14 days
            run_cron(self)
        self.assertEqual(ticket.approval_state, "cancelled")

    def test_suspended_time_is_counted_in_the_support_time_zone(self):
        suspended = self.Suspension._get_suspended_time
        start, end = datetime(2026, 8, 1), datetime(2026, 10, 1)
        # Aug 15 00:00 to Sep 16 00:00 in Paris (summer time: UTC+2)
        self.assertEqual(
            suspended(self.company, start, end, tz="Europe/Paris"), timedelta(days=32)
        )
        # inside the break, only the part after the start counts
        self.assertEqual(
            suspended(self.company, datetime(2026, 9, 14, 22), end, tz="Europe/Paris"),
            timedelta(days=1),
        )
        self.assertEqual(
            suspended(self.company, start, datetime(2026, 8, 10), tz="UTC"),
            timedelta(),
        )
        # overlapping periods count once: Aug 10 to Sep 15 in all
        self.Suspension.create(
            {
                "name": "Inventory",
                "date_from": "2026-08-10",
                "date_to": "2026-08-20",
                "message": "<p>Inventory</p>",
            }
        )
        self.assertEqual(suspended(self.company, start, end, tz="UTC"), timedelta(37))

    def test_staff_cannot_send_a_cost(self):
        ticket = self._ticket(self.alice.partner_id, credit_cost=2)
        with freeze_time(DURING):
            with self.assertRaisesRegex(UserError, "suspended until"):
                ticket.with_user(self.agent).action_request_approval()
            self.assertEqual(ticket.approval_state, "none")
            wizard = (
                self.env["helpdesk.ticket.split.wizard"]
                .with_user(self.agent)
                .with_context(active_model="helpdesk.ticket", active_id=ticket.id)
                .create({})
            )
            with self.assertRaises(UserError) as refused:
                wizard.action_split()
            self.assertIn("suspended until", str(refused.exception))
        self.assertFalse(ticket.split_ticket_ids)
        with freeze_time("2026-09-16 08:00:00"):
            ticket.with_user(self.agent).action_request_approval()
        self.assertEqual(ticket.approval_state, "pending")

    def test_customer_cannot_accept_but_may_cancel(self):
        with freeze_time(BEFORE):
            first = self._ticket(self.alice.partner_id, credit_cost=2)
            second = self._ticket(self.alice.partner_id, credit_cost=3)
            (first | second).with_user(self.agent).action_request_approval()
        with freeze_time(DURING):
            with self.assertRaisesRegex(UserError, "We are on summer break."):
                first.with_user(self.alice).action_approve_cost(cost_version=1)
            self.assertEqual(first.approval_state, "pending")
            self.assertFalse(self._spends(first))
            self.assertEqual(self.customer.support_credit_balance, 10)
            second.with_user(self.bob).action_cancel_cost(cost_version=1)
            self.assertEqual(second.approval_state, "cancelled")
        with freeze_time("2026-09-16 08:00:00"):
            first.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertEqual(first.approval_state, "approved")
        self.assertEqual(self.customer.support_credit_balance, 8)

    def test_portal_values_expose_the_suspension(self):
        ticket = self._ticket(self.alice.partner_id)
        with freeze_time(DURING):
            values = ticket._get_cost_portal_values(self.alice)
            self.assertEqual(values["support_suspension"], self.summer)
        with freeze_time(BEFORE):
            values = ticket._get_cost_portal_values(self.alice)
            self.assertFalse(values["support_suspension"])
        self.assertEqual(
            values["support_business_hours"],
            "Monday to Friday, 09:00-18:30 (Europe/Paris)",
        )


@tagged("post_install", "-at_install")
class TestBusinessHours(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Premium", "is_premium": True}
        )
        cls.calendar = cls.env.ref(
            "helpdesk_premium_support.resource_calendar_premium_support"
        )

    def _opening(self, utc):
        opening = self.team._get_support_next_opening(fields.Datetime.to_datetime(utc))
        return opening and opening.strftime("%a %Y-%m-%d %H:%M %Z")

    def test_default_calendar(self):
        self.assertEqual(self.team.resource_calendar_id, self.calendar)
        self.assertEqual(self.calendar.tz, "Europe/Paris")
        self.assertEqual(
            self.team.support_hours_description,
            "Monday to Friday, 09:00-18:30 (Europe/Paris)",
        )

    def test_when_the_team_is_back(self):
        # Wednesday 11:00 in Paris: at work
        self.assertIsNone(self._opening("2026-11-25 10:00:00"))
        # 18:29 still at work, 18:30 gone until the next morning
        self.assertIsNone(self._opening("2026-11-25 17:29:00"))
        self.assertEqual(
            self._opening("2026-11-25 17:30:00"), "Thu 2026-11-26 09:00 CET"
        )
        # early morning
        self.assertEqual(
            self._opening("2026-11-26 06:00:00"), "Thu 2026-11-26 09:00 CET"
        )
        # Friday evening and the weekend: Monday
        self.assertEqual(
            self._opening("2026-11-27 18:00:00"), "Mon 2026-11-30 09:00 CET"
        )
        self.assertEqual(
            self._opening("2026-11-29 12:00:00"), "Mon 2026-11-30 09:00 CET"
        )
        # the weekend summer time starts
        self.assertEqual(
            self._opening("2026-03-28 12:00:00"), "Mon 2026-03-30 09:00 CEST"
        )

    def test_public_holidays_of_the_calendar(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Christmas",
                "calendar_id": self.calendar.id,
                "date_from": "2026-12-24 23:00:00",
                "date_to": "2026-12-25 22:59:59",
            }
        )
        # Thursday 24 December evening: Friday 25 is off
        self.assertEqual(
            self._opening("2026-12-24 18:00:00"), "Mon 2026-12-28 09:00 CET"
        )

    def test_description_of_another_calendar(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Split shifts",
                "tz": "Europe/Brussels",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": day,
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in "0123"
                    for start, end, period in (
                        (8.5, 12, "morning"),
                        (12, 13, "lunch"),
                        (13, 17.75, "afternoon"),
                    )
                ]
                + [
                    Command.create(
                        {
                            "name": "Saturday",
                            "dayofweek": "5",
                            "hour_from": 10,
                            "hour_to": 12,
                            "day_period": "morning",
                        }
                    )
                ],
            }
        )
        self.team.resource_calendar_id = calendar
        self.assertEqual(
            self.team.support_hours_description,
            "Monday to Thursday, 08:30-12:00, 13:00-17:45; Saturday, 10:00-12:00 "
            "(Europe/Brussels)",
        )


@tagged("post_install", "-at_install")
class TestSuspensionPortal(PremiumSupportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._send_cost_to_alice()
        today = fields.Date.today()
        cls.suspension = cls.env["helpdesk.support.suspension"].create(
            {
                "name": "Closed",
                "date_from": today - timedelta(days=1),
                "date_to": today + timedelta(days=1),
                "message": "<p>Closed for inventory.</p>",
            }
        )

    def test_banner_and_disabled_acceptance(self):
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("o_support_suspension", page)
        self.assertIn("Closed for inventory.", page)
        approve = re.search(
            r"<form[^>]*o_support_cost_approve.*?</form>", page, re.DOTALL
        ).group(0)
        self.assertRegex(approve, r"<button[^>]*disabled")
        cancel = re.search(
            r"<form[^>]*o_support_cost_cancel.*?</form>", page, re.DOTALL
        ).group(0)
        self.assertNotRegex(cancel, r"<button[^>]*disabled")

    def test_no_banner_without_suspension(self):
        self.suspension.action_archive()
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertNotIn("o_support_suspension", page)
        self.assertIn("09:00-18:30 (Europe/Paris)", page)
