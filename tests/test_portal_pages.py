# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.helpdesk_premium_support.controllers.portal import (
    PremiumSupportPortal,
)

from .common import PremiumSupportCase, grow_ledger


@tagged("post_install", "-at_install")
class TestPortalPages(PremiumSupportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)
        cls.basic = cls._ticket(cls.alice.partner_id, name="Basic question")
        cls.pending = cls._ticket(
            cls.alice.partner_id, name="Needs a quote", credit_cost=2
        )
        cls.pending.with_user(cls.agent).action_request_approval()
        cls.accepted = cls._ticket(
            cls.bob.partner_id, name="Accepted work", credit_cost=1
        )
        cls.accepted.with_user(cls.agent).action_request_approval()
        cls.accepted.with_user(cls.bob).action_approve_cost(cost_version=1)

    def test_my_tickets_shows_cost_and_state(self):
        self.authenticate("alice", "alice")
        page = self.url_open("/my/tickets").text
        self.assertIn("Awaiting acceptance", page)
        self.assertEqual(page.count("o_support_ticket_cost"), 3)
        self.assertIn("2 cr.", page)
        self.assertIn("Premium", page)

    def test_my_tickets_awaiting_filter(self):
        self.authenticate("alice", "alice")
        page = self.url_open("/my/tickets?filterby=awaiting_acceptance").text
        self.assertIn("Needs a quote", page)
        self.assertNotIn("Basic question", page)
        self.assertNotIn("Accepted work", page)

    def test_home_counts_tickets_awaiting_acceptance(self):
        self.authenticate("bob", "bob")
        response = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": ["support_awaiting_count"]}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["support_awaiting_count"], 1)
        home = self.url_open("/my/home").text
        self.assertIn("9 credit(s) for your company", home)
        self.assertIn("/my/tickets?filterby=awaiting_acceptance", home)

    # -- query budgets ------------------------------------------------------
    def _queries(self, url):
        """Queries of one request to ``url``: the fewest of three, as Odoo does
        some bookkeeping only now and then (session, presence, logs)."""
        self.url_open(url)  # warm: assets, ormcaches
        counts = []
        for _try in range(3):
            self.env.flush_all()
            start = self.cr.sql_log_count
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            counts.append(self.cr.sql_log_count - start)
        return min(counts)

    def _budget(self, url):
        """Queries of ``url`` with page sizes 5 and 80, with a ledger of about
        10 then 10 000 lines."""
        counts = {}
        for size in (5, 80):
            with patch.object(PremiumSupportPortal, "_items_per_page", size):
                counts[(size, "small")] = self._queries(url)
        grow_ledger(self.env, self._wallet(self.customer), 5_000)
        for size in (5, 80):
            with patch.object(PremiumSupportPortal, "_items_per_page", size):
                counts[(size, "large")] = self._queries(url)
        return counts

    def test_my_credits_query_budget(self):
        self.authenticate("alice", "alice")
        counts = self._budget("/my/credits")
        self.assertEqual(len(set(counts.values())), 1, counts)
        self.assertGreater(min(counts.values()), 5, "the requests were not counted")

    def test_my_tickets_query_budget(self):
        for n in range(10):
            self._ticket(self.alice.partner_id, name=f"Volume {n}", credit_cost=1)
        self.authenticate("alice", "alice")
        counts = self._budget("/my/tickets")
        # 10 tickets on a page of 80 against 5 on a page of 5: a query per row
        # would cost 5 more. One query more or less between the two page sizes
        # was seen once in about ten runs of the whole suite (its source is
        # not pinned down yet): tolerated, a per-row query is not.
        self.assertLessEqual(max(counts.values()) - min(counts.values()), 1, counts)
        self.assertGreater(min(counts.values()), 5, "the requests were not counted")
