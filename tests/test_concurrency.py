# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Races between two real, committed database transactions.

Each contender runs in its own thread with its own cursor, through Odoo's own
``retrying`` (what every RPC and HTTP request goes through), and both take
their snapshot before either writes: a barrier makes sure of it on the first
try. HttpCase could not show this: its requests share one test cursor."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

from .common import check_wallet_invariants


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestConcurrentWallet(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.customer_id = (
                env["res.partner"]
                .create({"name": "Race Conditions Ltd", "is_company": True})
                .id
            )
            cls.company_id = env.company.id
        cls.addClassCleanup(cls._delete_customer)

    @classmethod
    def _delete_customer(cls):
        with cls.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse(
                cls.customer_id
            ).unlink()

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            self.ticket_ids = (
                self._env(cr)["helpdesk.ticket"]
                .create(
                    [
                        {
                            "name": f"Race ticket {n}",
                            "description": "<p>race</p>",
                            "partner_id": self.customer_id,
                        }
                        for n in range(2)
                    ]
                )
                .ids
            )
        self.addCleanup(self._delete_test_data)

    def _delete_test_data(self):
        # Committed test data only: the ledger refuses deletion, through the ORM
        # and in the database (a trigger that replica mode turns off).
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SET LOCAL session_replication_role = replica;
                DELETE FROM support_credit_line WHERE partner_id = %(p)s;
                DELETE FROM support_credit_wallet WHERE partner_id = %(p)s;
                """,
                {"p": self.customer_id},
            )
            self._env(cr)["helpdesk.ticket"].browse(self.ticket_ids).unlink()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _fund(self, amount):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            customer = env["res.partner"].browse(self.customer_id)
            wallet = env["support.credit.wallet"]._get_wallets(
                customer, env["res.company"].browse(self.company_id)
            )
            wallet._post(amount, "adjustment", "race test funding")

    def _race(self, *jobs):
        """Run each job(env) in its own thread and transaction through Odoo's
        retrying; both read before either writes. Returns (results, errors,
        tries) per job."""
        barrier = threading.Barrier(len(jobs), timeout=30)
        results = [None] * len(jobs)
        errors = [None] * len(jobs)
        tries = [0] * len(jobs)

        def run(index, job):
            with self.registry.cursor() as cr:
                env = self._env(cr)

                def attempt():
                    tries[index] += 1
                    # take the transaction's snapshot, then wait for the other
                    env.cr.execute("SELECT balance FROM support_credit_wallet")
                    if tries[index] == 1:
                        barrier.wait()
                    return job(env)

                try:
                    results[index] = retrying(attempt, env)
                except Exception as exc:  # noqa: BLE001 - reported to the test
                    errors[index] = exc

        threads = [
            threading.Thread(target=run, args=(index, job))
            for index, job in enumerate(jobs)
        ]
        with mute_logger("odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "race hung")
        return results, errors, tries

    def _spend_job(self, ticket_id, amount=1):
        def job(env):
            ticket = env["helpdesk.ticket"].browse(ticket_id)
            return ticket._get_support_wallet()._spend(amount, ticket).id

        return job

    def _state(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            customer = env["res.partner"].browse(self.customer_id)
            lines = env["support.credit.line"].search(
                [("partner_id", "=", self.customer_id)]
            )
            return (
                customer.support_credit_balance,
                lines.filtered(lambda line: line.kind == "spend"),
                check_wallet_invariants(env),
            )

    def test_two_spends_covered_once_one_wins(self):
        self._fund(1)
        results, errors, tries = self._race(
            self._spend_job(self.ticket_ids[0]), self._spend_job(self.ticket_ids[1])
        )
        winners = [r for r in results if r]
        losers = [e for e in errors if e]
        self.assertEqual(len(winners), 1, f"errors: {errors}")
        self.assertEqual(len(losers), 1)
        self.assertIsInstance(losers[0], UserError)
        self.assertIn("1 credit(s) missing", str(losers[0]))
        # the loser was serialized out, then retried on fresh data
        self.assertEqual(max(tries), 2)
        balance, spends, problems = self._state()
        self.assertEqual(balance, 0)
        self.assertEqual(len(spends), 1)
        self.assertFalse(problems)

    def test_two_spends_covered_twice_both_win(self):
        self._fund(2)
        results, errors, _tries = self._race(
            self._spend_job(self.ticket_ids[0]), self._spend_job(self.ticket_ids[1])
        )
        self.assertEqual(errors, [None, None])
        balance, spends, problems = self._state()
        self.assertEqual(balance, 0)
        self.assertEqual(len(spends), 2)
        self.assertFalse(problems)

    def test_same_ticket_accepted_twice_debits_once(self):
        self._fund(5)
        job = self._spend_job(self.ticket_ids[0])
        results, errors, _tries = self._race(job, job)
        self.assertEqual(len([r for r in results if r]), 1, f"errors: {errors}")
        balance, spends, problems = self._state()
        self.assertEqual(balance, 4)
        self.assertEqual(len(spends), 1)
        self.assertFalse(problems)

    def test_concurrent_grants_on_a_new_wallet_both_land(self):
        def grant_job(amount):
            def job(env):
                customer = env["res.partner"].browse(self.customer_id)
                wallet = env["support.credit.wallet"]._get_wallets(
                    customer, env["res.company"].browse(self.company_id)
                )
                return wallet._post(amount, "adjustment", "race grant").id

            return job

        results, errors, _tries = self._race(grant_job(3), grant_job(4))
        self.assertEqual(errors, [None, None])
        balance, _spends, problems = self._state()
        self.assertEqual(balance, 7)
        self.assertFalse(problems)
