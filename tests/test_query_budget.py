# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query-count budgets (never timings: the machines are shared and noisy),
with Odoo's ``assertQueryCount`` after a ``warmup`` run, each budget the count
measured."""

from contextlib import contextmanager

from odoo.tests import warmup
from odoo.tests.common import tagged

from .common import PremiumSupportCase, grow_ledger


@tagged("post_install", "-at_install")
class TestQueryBudget(PremiumSupportCase):
    @contextmanager
    def _sql(self):
        """The SQL run inside, as Odoo's ``assertQueries`` sees it."""
        with contextmanager(self._patchExecute)([]) as queries:
            yield queries

    @warmup
    def test_balance_is_read_from_the_wallet_not_summed_from_its_ledger(self):
        companies = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(80)]
        )
        for partner in companies[:5]:
            self._wallet(partner)._post(1, "adjustment", "seed")
        grow_ledger(self.env, self._wallet(companies[0]), 5_000)  # 10 000 lines
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Contact {n}", "parent_id": p.id}
                for n, p in enumerate(companies)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        # the 80 contacts (their commercial partners), one grouped read of their
        # wallets' stored balance column
        with self.assertQueryCount(2), self._sql() as queries:
            balances = contacts.mapped("support_credit_balance")
        self.assertEqual(sum(balances), 5)
        ledger = [query for query in queries if "support_credit_line" in query]
        self.assertFalse(ledger, "the balance was read from the ledger")

    @warmup
    def test_confirming_packs_costs_1_query_more_than_a_plain_order(self):
        plain = self._order(self.alice.partner_id, [(self.service, 1)] * 10)
        packs = self._order(
            self.alice.partner_id, [(self.pack_1, 1)] * 5 + [(self.pack_10, 1)] * 5
        )
        # sale's own: its lines' and the order's states, invoice status, amounts
        with self.assertQueryCount(4):
            plain.action_confirm()
        # the same, plus one statement: the wallet upsert with the insert of
        # the 10 ledger lines
        with self.assertQueryCount(4 + 1):
            packs.action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 55)

    @warmup
    def test_accepting_a_cost_costs_about_two_chatter_posts(self):
        self._buy(self.alice.partner_id, self.pack_10)
        tickets = self._ticket(self.alice.partner_id, credit_cost=1)
        tickets |= self._ticket(self.alice.partner_id, credit_cost=1)
        tickets.with_user(self.agent).action_request_approval()
        posted, accepted = tickets.with_user(self.alice)
        self.env.flush_all()
        self.env.invalidate_all()
        # what the portal chatter does, as the customer through sudo: author,
        # ticket, company, alias, last message, the message, its followers
        with self.assertQueryCount(13):
            posted.sudo().message_post(
                body="Thanks, please go ahead.",
                author_id=self.alice.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # who decides (5), suspension (2), wallet and ledger line (2), response
        # SLA (4), the chatter note (5), deadline in business hours (5), writes (2)
        with self.assertQueryCount(25):
            accepted.action_approve_cost(cost_version=1)
        self.assertEqual(accepted.approval_state, "approved")
