# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two recognition runs at once, on two real committed transactions: the
credits used are recognised once, by one entry."""

import uuid

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

from .common import CommittedRaceMixin, check_wallet_invariants


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestConcurrentRecognition(CommittedRaceMixin, BaseCase):
    race_snapshot_sql = "SELECT id FROM support_credit_recognition"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        tag = uuid.uuid4().hex[:6]
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            company = env.company
            cls.company_id = company.id
            cls.previous_config = (
                company.support_deferred_account_id.id,
                company.support_recognition_journal_id.id,
            )
            Account = env["account.account"]
            deferred = Account.create(
                {
                    "name": f"Deferred support revenue {tag}",
                    "code": f"D{tag}",
                    "account_type": "liability_current",
                }
            )
            cls.deferred_id = deferred.id
            journal = env["account.journal"].create(
                {
                    "name": f"Support recognition {tag}",
                    "code": f"R{tag[:4]}",
                    "type": "general",
                }
            )
            cls.journal_id = journal.id
            company.write(
                {
                    "support_deferred_account_id": deferred.id,
                    "support_recognition_journal_id": journal.id,
                }
            )
            cls.customer_id = (
                env["res.partner"]
                .create({"name": f"Concurrent Books {tag}", "is_company": True})
                .id
            )
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            cr.execute(
                """
                SET LOCAL session_replication_role = replica;
                DELETE FROM support_credit_recognition WHERE partner_id = %(p)s;
                DELETE FROM account_move_line WHERE move_id IN (
                    SELECT id FROM account_move
                     WHERE partner_id = %(p)s OR journal_id = %(j)s);
                DELETE FROM account_move
                 WHERE partner_id = %(p)s OR journal_id = %(j)s;
                DELETE FROM support_credit_line WHERE partner_id = %(p)s;
                DELETE FROM sale_order_line WHERE order_partner_id = %(p)s;
                DELETE FROM sale_order WHERE partner_id = %(p)s;
                DELETE FROM support_credit_wallet WHERE partner_id = %(p)s;
                DELETE FROM helpdesk_ticket WHERE partner_id = %(p)s;
                UPDATE res_company SET support_deferred_account_id = %(a)s,
                       support_recognition_journal_id = %(pj)s
                 WHERE id = %(c)s;
                """,
                {
                    "p": cls.customer_id,
                    "j": cls.journal_id,
                    "c": cls.company_id,
                    "a": cls.previous_config[0] or None,
                    "pj": cls.previous_config[1] or None,
                },
            )
            env = cls._env(cr)
            env["res.partner"].browse(cls.customer_id).action_archive()
            env["account.journal"].browse(cls.journal_id).action_archive()

    def _sell_and_use(self):
        """A 10-credit pack at 100.00, invoiced, and 3 tickets of 1 credit
        accepted: committed."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            pack = env.ref("helpdesk_premium_support.product_premium_support_10")
            order = env["sale.order"].create(
                {
                    "partner_id": self.customer_id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": pack.product_variant_id.id,
                                "price_unit": 100,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            invoice = order._create_invoices()
            invoice.action_post()
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Concurrent books {n}",
                        "description": "<p>race</p>",
                        "partner_id": self.customer_id,
                    }
                    for n in range(3)
                ]
            )
            wallet = env["support.credit.wallet"]._get_wallets(
                order.partner_id, env.company
            )
            for ticket in tickets:
                wallet._spend(1, ticket)

    def test_two_runs_at_once_recognise_each_credit_once(self):
        self._sell_and_use()

        def job(env):
            company = env["res.company"].browse(self.company_id)
            return env["support.credit.recognition"]._recognise_company(company).ids

        results, errors, tries = self._race(job, job)
        self.assertEqual(errors, [None, None])
        # both computed the same recognition from the same snapshot, neither
        # was retried: the database refused the second one's rows
        self.assertEqual(tries, [1, 1])
        # one run posted the entry, the other found the credits taken
        self.assertEqual(sorted(len(ids) for ids in results), [0, 1])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            entries = env["account.move"].search([("journal_id", "=", self.journal_id)])
            self.assertEqual(len(entries), 1)
            self.assertEqual(entries.state, "posted")
            deferred = entries.line_ids.filtered(
                lambda line: line.account_id.id == self.deferred_id
            )
            self.assertEqual(deferred.debit, 30)
            recognitions = env["support.credit.recognition"].search(
                [("partner_id", "=", self.customer_id)]
            )
            self.assertEqual(len(recognitions), 3)
            self.assertEqual(recognitions.move_id, entries)
            self.assertFalse(check_wallet_invariants(env))
        # and a third run afterwards posts nothing
        results, errors, _tries = self._race(job)
        self.assertEqual((results, errors), ([[]], [None]))
