# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Races between two real, committed database transactions.

Each contender runs in its own thread with its own cursor, through Odoo's own
``retrying`` (what every RPC and HTTP request goes through), and both take
their snapshot before either writes: a barrier makes sure of it on the first
try. HttpCase could not show this: its requests share one test cursor."""

import threading
import uuid

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import new_test_user, tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

from .common import (
    CommittedRaceMixin,
    check_sale_reconciliation,
    check_wallet_invariants,
)


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestConcurrentWallet(CommittedRaceMixin, BaseCase):
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
            user = new_test_user(
                env,
                login=f"race_portal_{uuid.uuid4().hex[:8]}",
                groups="base.group_portal",
                name="Race Portal User",
                email="race@race-conditions.test",
            )
            user.partner_id.parent_id = cls.customer_id
            cls.portal_user_id = user.id
        cls.addClassCleanup(cls._delete_customer)

    @classmethod
    def _delete_customer(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # the portal user authored messages: archived, not deleted
            user = env["res.users"].browse(cls.portal_user_id)
            user.action_archive()
            user.partner_id.action_archive()
            env["res.partner"].browse(cls.customer_id).action_archive()

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
                DELETE FROM mail_mail WHERE mail_message_id IN (
                    SELECT m.id FROM mail_message m
                      JOIN support_credit_wallet w
                        ON m.model = 'support.credit.wallet' AND m.res_id = w.id
                     WHERE w.partner_id = %(p)s);
                SET LOCAL session_replication_role = replica;
                DELETE FROM support_credit_line WHERE partner_id = %(p)s;
                DELETE FROM sale_order_line WHERE order_partner_id = %(p)s;
                DELETE FROM sale_order WHERE partner_id = %(p)s;
                DELETE FROM support_credit_wallet WHERE partner_id = %(p)s;
                """,
                {"p": self.customer_id},
            )
            self._env(cr)["helpdesk.ticket"].browse(self.ticket_ids).unlink()

    def _fund(self, amount):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            customer = env["res.partner"].browse(self.customer_id)
            wallet = env["support.credit.wallet"]._get_wallets(
                customer, env["res.company"].browse(self.company_id)
            )
            wallet._post(amount, "adjustment", "race test funding")

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
        results, errors, tries = self._race(
            self._spend_job(self.ticket_ids[0]), self._spend_job(self.ticket_ids[1])
        )
        self.assertEqual(errors, [None, None])
        # the second writer of the wallet row was serialized out and retried
        self.assertEqual(sorted(tries), [1, 2])
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

    def test_two_acceptances_of_one_ticket_by_its_customer_debit_once(self):
        # the public path: the customer's action_approve_cost, twice at once
        self._fund(5)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            ticket = env["helpdesk.ticket"].browse(self.ticket_ids[0])
            ticket.credit_cost = 2
            ticket.with_user(env.ref("base.user_admin")).action_request_approval()
            version = ticket.cost_version

        def job(env):
            ticket = env["helpdesk.ticket"].browse(self.ticket_ids[0])
            user = env["res.users"].browse(self.portal_user_id)
            return ticket.with_user(user).action_approve_cost(version)

        results, errors, tries = self._race(job, job)
        self.assertEqual(results.count(True), 1, f"errors: {errors}")
        loser = next(error for error in errors if error)
        self.assertIsInstance(loser, UserError)
        self.assertEqual(sorted(tries), [1, 2])
        balance, spends, problems = self._state()
        self.assertEqual(balance, 3)
        self.assertEqual(len(spends), 1)
        self.assertFalse(problems)

    def test_one_order_confirmed_twice_at_once_grants_once(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            pack = env.ref("helpdesk_premium_support.product_premium_support_10")
            order_id = (
                env["sale.order"]
                .create(
                    {
                        "partner_id": self.customer_id,
                        "order_line": [
                            Command.create({"product_id": pack.product_variant_id.id})
                        ],
                    }
                )
                .id
            )

        def job(env):
            return env["sale.order"].browse(order_id).action_confirm()

        _results, errors, tries = self._race(job, job)
        self.assertEqual(len([error for error in errors if error]), 1, errors)
        self.assertEqual(sorted(tries), [1, 2])
        balance, _spends, problems = self._state()
        self.assertEqual(balance, 10)
        with self.registry.cursor() as cr:
            problems += check_sale_reconciliation(self._env(cr))
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

        results, errors, tries = self._race(grant_job(3), grant_job(4))
        self.assertEqual(errors, [None, None])
        self.assertEqual(sorted(tries), [1, 2])
        balance, _spends, problems = self._state()
        self.assertEqual(balance, 7)
        self.assertFalse(problems)

    def test_concurrent_order_grants_create_one_wallet_and_both_land(self):
        # the path of order confirmations: the wallet is created and credited
        # by one statement; the second of two grants on a customer without a
        # wallet conflicts with the first one's new row, and is retried
        def grant_job(amount):
            def job(env):
                movement = {"amount": amount, "kind": "purchase", "reason": "race"}
                env["support.credit.wallet"]._add_to_customer(
                    env["res.partner"].browse(self.customer_id),
                    env["res.company"].browse(self.company_id),
                    [movement],
                )

            return job

        _results, errors, tries = self._race(grant_job(3), grant_job(4))
        self.assertEqual(errors, [None, None])
        self.assertEqual(sorted(tries), [1, 2])
        balance, _spends, problems = self._state()
        self.assertEqual(balance, 7)
        self.assertFalse(problems)
        with self.registry.cursor() as cr:
            wallets = self._env(cr)["support.credit.wallet"].search(
                [("partner_id", "=", self.customer_id)]
            )
            self.assertEqual(len(wallets), 1)
            self.assertEqual(wallets.line_count, 2)
            lines = wallets.line_ids.sorted("id")
            self.assertEqual(lines.mapped("balance_after"), [lines[0].amount, 7])


RACE_EMAIL = """\
From: Racer <{login}@race.test>
To: premium-race@race.test
Subject: [{login}] Our export is stuck
Message-Id: <same-email-twice@race.test>
Date: Thu, 26 Nov 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Please have a look.
"""


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestConcurrentIntake(BaseCase):
    """The same premium email (one Message-Id) delivered twice at the same
    moment, from two colleagues' mailboxes (a message forwarded with its
    Message-Id kept), gives one ticket and no error. Here other rows the two
    deliveries both touch already serialize them; the unique Message-Id of
    premium requests is what guarantees it when nothing else does (seen
    under load, tools/loadtest)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            domain = env["mail.alias.domain"].search([("name", "=", "race.test")])
            domain = domain or env["mail.alias.domain"].create({"name": "race.test"})
            cls.previous_domain_id = env.company.alias_domain_id.id
            env.company.alias_domain_id = domain
            team = env["helpdesk.ticket.team"].search([("name", "=", "Race premium")])
            team = team or env["helpdesk.ticket.team"].create(
                {
                    "name": "Race premium",
                    "alias_name": "premium-race",
                    "is_premium": True,
                }
            )
            users = env["res.users"]
            for login in ("racer1", "racer2"):
                user = users.with_context(active_test=False).search(
                    [("login", "=", login)]
                )
                user.active = True
                users |= user or users.create(
                    {
                        "name": login.title(),
                        "login": login,
                        "email": f"{login}@race.test",
                        "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                    }
                )
            cls.ids = {"domain": domain.id, "team": team.id, "users": users.ids}
        cls.addClassCleanup(cls._cleanup)
        cls._delete_tickets()

    @classmethod
    def _delete_tickets(cls):
        with cls.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["helpdesk.ticket"].search(
                [("name", "like", "] Our export is stuck")]
            ).unlink()

    @classmethod
    def _cleanup(cls):
        cls._delete_tickets()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["helpdesk.premium.mail.refusal"].search(
                [("email_from", "ilike", "@race.test")]
            ).unlink()
            env["helpdesk.ticket.team"].browse(cls.ids["team"]).unlink()
            users = env["res.users"].browse(cls.ids["users"])
            users.active = False
            users.partner_id.active = False
            env.company.alias_domain_id = cls.previous_domain_id

    def test_same_email_twice_at_once_gives_one_ticket(self):
        barrier = threading.Barrier(2, timeout=30)
        results, tries = [None, None], [0, 0]

        def deliver(index):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def attempt():
                    tries[index] += 1
                    env.cr.execute("SELECT 1 FROM helpdesk_ticket LIMIT 1")
                    if tries[index] == 1:
                        barrier.wait()
                    email = RACE_EMAIL.format(login=f"racer{index + 1}")
                    return env["mail.thread"].message_process(None, email)

                try:
                    results[index] = retrying(attempt, env)
                except Exception as exc:  # noqa: BLE001 - reported to the test
                    results[index] = exc

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
        with mute_logger("odoo.service.model", "odoo.sql_db", "odoo.addons.mail"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "race hung")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].search(
                [("name", "like", "] Our export is stuck")]
            )
            self.assertEqual(len(tickets), 1, f"results: {results}, tries: {tries}")
            # no error: the second delivery is a duplicate of the first
            self.assertIn(tickets.id, results)
            self.assertTrue(set(results) <= {tickets.id, False}, results)
