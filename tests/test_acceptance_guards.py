# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The last gaps around an acceptance: archived tickets, acceptances that name
no version, customers the multi-company rules keep out, words chosen by the
URL, framing by other sites, and a reminder job that reads what is due only."""

import re
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import quote

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import PremiumSupportCase
from .cron import REMINDER_CRON, run_cron
from .test_api import ExternalApiMixin

PHISHING = "<script>alert(1)</script>Your account is locked: call +1 555 0100"


class AcceptanceCase(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)

    def setUp(self):
        super().setUp()
        self.ticket = self._send(self._ticket(self.alice.partner_id, credit_cost=3))

    def _send(self, ticket):
        ticket.with_user(self.agent).action_request_approval()
        return ticket

    def _spends(self, ticket=None):
        return self.Line.sudo().search(
            [("ticket_id", "=", (ticket or self.ticket).id), ("kind", "=", "spend")]
        )

    def _assert_unchanged(self, ticket=None):
        ticket = ticket or self.ticket
        ticket.invalidate_recordset()
        self.assertEqual(ticket.approval_state, "pending")
        self.assertFalse(self._spends(ticket))
        self.assertEqual(self._wallet(self.customer).balance, 10)


@tagged("post_install", "-at_install")
class TestAcceptanceGuards(AcceptanceCase):
    # -- archived tickets -------------------------------------------------
    def test_archiving_a_ticket_cancels_its_pending_cost(self):
        self.ticket.with_user(self.agent).action_archive()
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertTrue(
            self.ticket.message_ids.filtered(
                lambda m: "archived while its cost" in (m.body or "")
            )
        )
        with self.assertRaises(UserError):
            self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertFalse(self._spends())
        self.assertEqual(self._wallet(self.customer).balance, 10)
        # restored, it stays cancelled: staff send a new cost if need be
        self.ticket.with_user(self.agent).action_unarchive()
        self.assertEqual(self.ticket.approval_state, "cancelled")

    def test_an_archived_ticket_is_never_accepted(self):
        # archived by a path that skips the ORM: its cost still says pending
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET active = false WHERE id = %s", [self.ticket.id]
        )
        self.ticket.invalidate_recordset()
        for action in ("action_approve_cost", "action_cancel_cost"):
            with self.subTest(action=action), self.assertRaises(UserError) as refused:
                getattr(self.ticket.with_user(self.alice), action)(cost_version=1)
            self.assertEqual(refused.exception.code, "closed")
        self._assert_unchanged()

    def test_staff_cannot_send_a_cost_on_an_archived_ticket(self):
        ticket = self._ticket(self.alice.partner_id, credit_cost=2)
        ticket.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            self._send(ticket)
        self.assertEqual(ticket.approval_state, "none")

    def test_every_way_a_cost_ends_unaccepted_takes_one_path(self):
        Ticket = self.env["helpdesk.ticket"]
        declined = self.ticket
        closed, archived, expired = (
            self._send(self._ticket(self.alice.partner_id, credit_cost=1))
            for _n in range(3)
        )
        expired.approval_requested_date = fields.Datetime.now() - timedelta(days=15)
        original = type(Ticket)._cancel_pending_cost
        calls = []

        def spy(tickets, reason):
            calls.append((reason, tickets.ids))
            return original(tickets, reason)

        with patch.object(
            type(Ticket), "_cancel_pending_cost", autospec=True, side_effect=spy
        ):
            declined.with_user(self.alice).action_cancel_cost(cost_version=1)
            closed.with_user(self.agent).stage_id = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_done"
            )
            archived.with_user(self.agent).action_archive()
            run_cron(self)
        tickets = declined | closed | archived | expired
        ended = {}
        for reason, ids in calls:
            for ticket_id in set(ids) & set(tickets.ids):
                ended.setdefault(reason, []).append(ticket_id)
        self.assertEqual(
            ended,
            {
                "customer": declined.ids,
                "closed": closed.ids,
                "archived": archived.ids,
                "expired": expired.ids,
            },
        )
        tickets.invalidate_recordset()
        self.assertEqual(set(tickets.mapped("approval_state")), {"cancelled"})
        self.assertFalse(self.Line.sudo().search([("ticket_id", "in", tickets.ids)]))

    # -- the version accepted ---------------------------------------------
    def test_an_acceptance_must_name_the_version_it_accepts(self):
        ticket = self.ticket.with_user(self.alice)
        for version in (None, "", False, True, "one", 0, 2, "2"):
            for action in (ticket.action_approve_cost, ticket.action_cancel_cost):
                with self.subTest(version=version, action=action.__name__):
                    with self.assertRaises(UserError) as refused:
                        action(cost_version=version)
                    self.assertEqual(refused.exception.code, "stale")
        with self.assertRaises(UserError):
            ticket.action_approve_cost()
        with self.assertRaises(UserError):
            ticket.action_cancel_cost()
        self._assert_unchanged()
        ticket.action_approve_cost(cost_version="1")  # as a form sends it
        self.assertEqual(self.ticket.approval_state, "approved")

    # -- multi-company --------------------------------------------------------
    def test_customer_kept_out_of_the_tickets_company_cannot_decide_on_it(self):
        elsewhere = self.env["res.company"].create({"name": "Vendor Overseas"})
        self.agent.company_ids = [Command.link(elsewhere.id)]
        self._wallet(self.customer, elsewhere)._post(5, "adjustment", "seed")
        ticket = self._send(
            self._ticket(self.alice.partner_id, credit_cost=2, company_id=elsewhere.id)
        )
        self.assertNotIn(elsewhere, self.alice.company_ids)
        self.assertFalse(ticket.with_user(self.alice).has_access("read"))
        for action in ("action_approve_cost", "action_cancel_cost"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(ticket.with_user(self.alice), action)(cost_version=1)
        self.assertTrue(ticket.sudo()._get_cost_decision_refusal(self.alice))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.approval_state, "pending")
        self.assertFalse(self._spends(ticket))
        self.assertEqual(self._wallet(self.customer, elsewhere).balance, 5)

    # -- the reminder and expiry job --------------------------------------
    def _pending(self, days_ago, reminded=False):
        ticket = self._send(self._ticket(self.alice.partner_id, credit_cost=1))
        ticket.write(
            {
                "approval_requested_date": fields.Datetime.now()
                - timedelta(days=days_ago),
                "approval_reminded": reminded,
            }
        )
        return ticket

    def _spy_on_processed(self):
        """Patch the job's per-batch step to record the batches it gets."""
        Ticket = type(self.env["helpdesk.ticket"])
        original = Ticket._process_due_pending_costs
        batches = []

        def spy(tickets, now):
            batches.append(tickets.ids)
            return original(tickets, now)

        return batches, patch.object(
            Ticket, "_process_due_pending_costs", autospec=True, side_effect=spy
        )

    def test_reminder_job_reads_only_the_costs_that_may_be_due(self):
        fresh = self.ticket
        waiting = self._pending(days_ago=2)
        to_remind = self._pending(days_ago=4)
        reminded = self._pending(days_ago=5, reminded=True)
        to_expire = self._pending(days_ago=15, reminded=True)
        batches, spy = self._spy_on_processed()
        with spy:
            run_cron(self)
        read = {ticket_id for batch in batches for ticket_id in batch}
        mine = fresh | waiting | to_remind | reminded | to_expire
        self.assertEqual(read & set(mine.ids), set((to_remind | to_expire).ids))
        mine.invalidate_recordset()
        self.assertTrue(to_remind.approval_reminded)
        self.assertEqual(to_remind.approval_state, "pending")
        self.assertEqual(to_expire.approval_state, "cancelled")
        for ticket in fresh | waiting | reminded:
            self.assertEqual(ticket.approval_state, "pending")
        self.assertFalse(waiting.approval_reminded)

    def test_reminder_job_works_in_batches_and_reports_its_progress(self):
        due = self.env["helpdesk.ticket"]
        for _n in range(5):
            due |= self._pending(days_ago=4)
        batches, spy = self._spy_on_processed()
        cron = self.env.ref(REMINDER_CRON)
        with spy, self.enter_registry_test_mode(), self.registry.cursor() as cr:
            cron = cron.with_env(cron.env(cr=cr)).with_context(cron_id=cron.id)
            cron, progress = cron._add_progress()
            cron.env["helpdesk.ticket"]._cron_remind_pending_costs(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (5, 0))
        self.assertEqual([len(batch) for batch in batches], [2, 2, 1])
        due.invalidate_recordset()
        self.assertEqual(set(due.mapped("approval_reminded")), {True})


@tagged("post_install", "-at_install")
class TestAcceptanceGuardsOnline(ExternalApiMixin, AcceptanceCase, HttpCase):
    def test_an_acceptance_without_version_is_refused_over_json2(self):
        for payload in ({}, {"cost_version": None}, {"cost_version": ""}):
            for method in ("action_approve_cost", "action_cancel_cost"):
                with self.subTest(payload=payload, method=method):
                    response = self._call(
                        self.alice,
                        "helpdesk.ticket",
                        method,
                        ids=self.ticket.ids,
                        **payload,
                    )
                    self.assertEqual(response.status_code, 422, response.text)
        self._assert_unchanged()
        response = self._call(
            self.alice,
            "helpdesk.ticket",
            "action_approve_cost",
            ids=self.ticket.ids,
            cost_version=1,
        )
        self.assertEqual(response.status_code, 200, response.text)

    def test_the_url_never_chooses_the_words_of_the_error(self):
        self.authenticate("alice", "alice")
        page = self.url_open(
            f"/my/ticket/{self.ticket.id}?cost_error={quote(PHISHING)}"
        ).text
        alert = self._error_alert(page)
        self.assertIn("could not be recorded", alert)  # the page's generic words
        self.assertNotIn("555", alert)
        self.assertNotIn("script", alert)
        # nowhere as text either (Odoo's own meta tags carry the URL, encoded)
        self.assertNotIn("call +1 555 0100", page)
        page = self.url_open(f"/my/ticket/{self.ticket.id}?cost_error=closed").text
        self.assertIn("no longer waits for acceptance", self._error_alert(page))

    def _error_alert(self, page):
        found = re.search(
            r'<div class="alert[^"]*o_support_cost_error".*?</div>', page, re.S
        )
        self.assertTrue(found, "no error alert on the page")
        return found.group(0)

    def test_a_refused_decision_comes_back_as_a_code(self):
        self.authenticate("mallory", "mallory")
        self.ticket.message_subscribe(partner_ids=self.mallory.partner_id.ids)
        token = self._csrf_token()
        response = self.url_open(
            f"/my/ticket/{self.ticket.id}/cost/approve",
            data={"csrf_token": token, "cost_version": 1},
            allow_redirects=False,
        )
        self.assertEqual(
            response.headers["Location"].split("?", 1)[1], "cost_error=forbidden"
        )
        self.authenticate("alice", "alice")
        self.ticket.with_user(self.agent).credit_cost = 4
        response = self.url_open(
            f"/my/ticket/{self.ticket.id}/cost/approve",
            data={"csrf_token": self._csrf_token(), "cost_version": 1},
            allow_redirects=False,
        )
        self.assertEqual(
            response.headers["Location"].split("?", 1)[1], "cost_error=stale"
        )
        self._assert_unchanged()

    def _csrf_token(self):
        page = self.url_open("/my/credits").text
        return page.split('csrf_token: "', 1)[1].split('"', 1)[0]

    def test_the_ticket_page_cannot_be_framed_by_another_site(self):
        self.ticket._portal_ensure_token()
        self.authenticate("alice", "alice")
        logged_in = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.authenticate(None, None)
        by_link = self.url_open(
            f"/my/ticket/{self.ticket.id}/{self.ticket.access_token}"
        )
        for response in (logged_in, by_link):
            with self.subTest(url=response.url):
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_support_cost_panel", response.text)
                self.assertEqual(response.headers.get("X-Frame-Options"), "SAMEORIGIN")
                self.assertIn(
                    "frame-ancestors 'self'",
                    response.headers.get("Content-Security-Policy", ""),
                )
