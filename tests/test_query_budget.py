# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query-count budgets (never timings: the machines are shared and noisy)."""

import logging

from odoo.tests import tagged

from .common import PremiumSupportCase, grow_ledger

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestQueryBudget(PremiumSupportCase):
    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_balance_read_does_not_depend_on_ledger_size(self):
        companies = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(80)]
        )
        for partner in companies[:5]:
            self._wallet(partner)._post(1, "adjustment", "seed")
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Contact {n}", "parent_id": p.id}
                for n, p in enumerate(companies)
            ]
        )

        def read_balances():
            return contacts.mapped("support_credit_balance")

        small = self._count_queries(read_balances)
        grow_ledger(self.env, self._wallet(companies[0]), 50_000)  # 100 000 lines
        large = self._count_queries(read_balances)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 3)
        self.assertEqual(sum(read_balances()), 5)

    def test_confirming_packs_costs_at_most_3_more_queries(self):
        # warm caches shared by both orders (sequences, config, rules)
        self._order(self.bob.partner_id, [(self.service, 1)]).action_confirm()
        self._buy(self.bob.partner_id, self.pack_1)
        plain = self._order(self.alice.partner_id, [(self.service, 1)] * 10)
        packs = self._order(
            self.alice.partner_id, [(self.pack_1, 1)] * 5 + [(self.pack_10, 1)] * 5
        )
        plain_queries = self._count_queries(plain.action_confirm)
        pack_queries = self._count_queries(packs.action_confirm)
        _logger.info("confirm: plain %s queries, packs %s", plain_queries, pack_queries)
        self.assertEqual(self.customer.support_credit_balance, 1 + 55)
        self.assertLessEqual(
            pack_queries - plain_queries,
            3,
            f"plain order: {plain_queries} queries, packs: {pack_queries}",
        )

    def test_accepting_costs_at_most_8_more_queries_than_a_chatter_post(self):
        self._buy(self.alice.partner_id, self.pack_10)
        tickets = self._ticket(self.alice.partner_id, credit_cost=1)
        for _n in range(2):
            tickets |= self._ticket(self.alice.partner_id, credit_cost=1)
        tickets.with_user(self.agent).action_request_approval()
        first, posted, accepted = tickets.with_user(self.alice)
        first.action_approve_cost(cost_version=1)  # warm caches shared by both

        def portal_post(ticket, body):
            # what the portal chatter does: post as the customer, through sudo
            ticket.sudo().message_post(
                body=body,
                author_id=self.alice.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        portal_post(first, "warm")
        post_queries = self._count_queries(
            lambda: portal_post(posted, "Thanks, please go ahead.")
        )
        accept_queries = self._count_queries(
            lambda: accepted.action_approve_cost(cost_version=1)
        )
        _logger.info(
            "chatter post %s queries, acceptance %s", post_queries, accept_queries
        )
        self.assertEqual(accepted.approval_state, "approved")
        self.assertLessEqual(
            accept_queries - post_queries,
            8,
            f"chatter post: {post_queries} queries, acceptance: {accept_queries}",
        )
