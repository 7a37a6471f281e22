# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import psycopg2.errors
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import date_utils, mute_logger

from .common_deferred_revenue import DeferredRevenueCase


@tagged("post_install", "-at_install")
class TestDeferredRevenue(DeferredRevenueCase):
    def _recognised(self, move, partner, account):
        """What ``move`` moved to ``account`` for ``partner``, and out of the
        deferred account for ``partner`` in all."""
        lines = move.line_ids.filtered(lambda line: line.partner_id == partner)
        income = lines.filtered(lambda line: line.account_id == account)
        deferred = lines.filtered(lambda line: line.account_id == self.deferred)
        return -sum(income.mapped("balance")), sum(deferred.mapped("balance"))

    def test_invoiced_pack_lines_go_to_the_deferred_account(self):
        order = self._order(self.customer, [(self.pack_10, 1), (self.service, 2)])
        order.order_line.tax_ids = False
        order.order_line.filtered(
            lambda line: line.product_id == self.pack_10.product_variant_id
        ).price_unit = 100
        order.action_confirm()
        invoice = self._invoice(order)
        pack_line = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == self.pack_10.product_variant_id
        )
        service_line = invoice.invoice_line_ids - pack_line
        self.assertEqual(pack_line.account_id, self.deferred)
        self.assertNotEqual(service_line.account_id, self.deferred)
        self.assertEqual(self._balance(self.deferred), -100)
        self.assertEqual(invoice.amount_total, 100 + 2 * self.service.list_price)

    def test_without_a_deferred_account_revenue_is_recognised_at_invoice(self):
        self.company.write(
            {
                "support_deferred_account_id": False,
                "support_recognition_journal_id": False,
            }
        )
        invoice = self._invoice(self._sell(self.customer, self.pack_10, 100))
        self.assertEqual(invoice.invoice_line_ids.account_id, self.income)
        self._use(self.customer, 3)
        self.Recognition._cron_recognise()
        self.assertFalse(self.Recognition.search([]))

    def test_partial_use_moves_the_price_of_the_used_credits(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._use(self.customer, 3)
        move = self._run()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.accounts["journal"])
        self.assertEqual(self._recognised(move, self.customer, self.income), (30, 30))
        self.assertEqual(len(move.line_ids), 2)
        self.assertIn("Support credits used from", move.line_ids[0].name)
        self.assertEqual(self._balance(self.deferred), -70)
        self.assertEqual(self._balance(self.income), -30)
        # one more credit: only it moves
        self._use(self.customer, 1)
        self.assertEqual(
            self._recognised(self._run(), self.customer, self.income), (10, 10)
        )

    def test_first_bought_first_used_across_two_packs_at_different_prices(self):
        # 10 credits at 10.00, then 50 at 7.20 (400 less 10 %)
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._invoice(self._sell(self.customer, self.pack_50, 400, discount=10))
        self._use(self.customer, 8)
        self._use(self.customer, 4)
        move = self._run()
        self.assertEqual(
            self._recognised(move, self.customer, self.income), (100, 114.4)
        )
        self.assertEqual(
            self._recognised(move, self.customer, self.income_big), (14.4, 114.4)
        )
        # one line pair per customer and income account
        self.assertEqual(len(move.line_ids), 4)
        self.assertEqual(self._balance(self.deferred), -(360 - 14.4))
        # the rest of the 50-pack, rounded on the running total: exact in the end
        self._use(self.customer, 48)
        self._run()
        self.assertEqual(self._balance(self.deferred), 0)
        self.assertEqual(self._balance(self.income_big), -360)

    def test_credits_used_before_their_invoice_wait_for_it(self):
        order = self._sell(self.customer, self.pack_10, 100)
        self._use(self.customer, 4)
        self.assertFalse(self._run())
        self.assertFalse(self.Recognition.search([]))
        cron = self.env.ref(
            "helpdesk_premium_support.ir_cron_support_credit_recognition"
        )
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        invoice = self._invoice(order)
        # posting the invoice triggers the recognition at once
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
        )
        move = self._run()
        self.assertEqual(self._recognised(move, self.customer, self.income), (40, 40))
        self.assertEqual(move.date, invoice.date)
        self.assertEqual(self._balance(self.deferred), -60)

    def test_credit_note_of_unused_credits_reverses_their_deferred_amount(self):
        order = self._sell(self.customer, self.pack_10, 100, qty=2)
        invoice = self._invoice(order)
        self._use(self.customer, 5)
        self._run()
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        self.assertEqual(refund.invoice_line_ids.account_id, self.deferred)
        self.assertEqual(self._wallet(self.customer).balance, 5)
        self.assertEqual(self._balance(self.deferred), -(200 - 50 - 100))
        self._use(self.customer, 5)
        self._run()
        self.assertEqual(self._balance(self.deferred), 0)
        self.assertEqual(self._balance(self.income), -100)
        report = self._report(fields.Date.today())
        self.assertEqual((report.total_value, report.difference), (0, 0))

    def test_adjustment_credits_carry_no_value_and_are_used_first(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        wallet = self._wallet(self.customer)
        wallet._post(2, "adjustment", "goodwill")
        self._use(self.customer, 3)  # 2 free, then 1 paid
        move = self._run()
        self.assertEqual(self._recognised(move, self.customer, self.income), (10, 10))
        # taking paid credits away extinguishes them: their price is revenue
        wallet._post(-2, "adjustment", "expired")
        move = self._run()
        self.assertEqual(self._recognised(move, self.customer, self.income), (20, 20))
        # free credits only: nothing to post, but the line counts as recognised
        wallet._post(1, "adjustment", "goodwill")
        line = self._use(self.customer, 1)
        self.assertFalse(self._run())
        self.assertEqual(self.Recognition.search([("line_id", "=", line.id)]).amount, 0)
        report = self._report(fields.Date.today())
        self.assertEqual(report.line_ids.credits, 7)
        self.assertEqual(report.line_ids.value, 70)
        self.assertEqual(report.difference, 0)

    def test_accountants_see_the_unearned_value_and_staff_the_credits(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._use(self.customer, 3)
        self._run()
        accountant = self._user(
            "accountant",
            "Ada Accountant",
            "ada@vendor.test",
            "account.group_account_invoice",
        )
        sales_accountant = self._user(
            "sales_accountant",
            "Sasha Sales",
            "sasha@vendor.test",
            "account.group_account_invoice,sales_team.group_sale_salesman",
        )
        Report = self.env["support.credit.unearned.report"]
        report = Report.with_user(accountant).create({"date": fields.Date.today()})
        # the money, as the deferred account's ledger shows it per customer
        self.assertEqual(report.line_ids.read(["partner_id", "value"])[0]["value"], 70)
        self.assertEqual(report.difference, 0)
        # not the credits: a customer's unused credits are its balance
        with self.assertRaises(AccessError):
            report.line_ids.read(["credits"])
        with self.assertRaises(AccessError):
            report.read(["total_credits"])
        arch = Report.with_user(accountant).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertNotIn('name="credits"', arch)
        self.assertNotIn('name="total_credits"', arch)
        # an accountant who is also sales staff sees them
        report = Report.with_user(sales_accountant).create(
            {"date": fields.Date.today()}
        )
        self.assertEqual(report.line_ids.credits, 7)
        self.assertEqual(report.total_credits, 7)

    def test_a_pack_sold_at_zero_price_carries_no_value(self):
        self._invoice(self._sell(self.customer, self.pack_10, 0))
        self._sell(self.other_customer, self.pack_10, 0)  # never invoiced
        self._use(self.customer, 2)
        self._use(self.other_customer, 2)
        self.assertFalse(self._run())
        self.assertEqual(self.Recognition.search_count([]), 2)
        self.assertEqual(self._report(fields.Date.today()).difference, 0)

    def test_running_again_posts_nothing_twice(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._invoice(self._sell(self.other_customer, self.pack_10, 100))
        self._use(self.customer, 2)
        self._use(self.other_customer, 1)
        move = self._run()
        self.assertEqual(len(move.line_ids), 4)
        self.assertFalse(self._run())
        self.Recognition._cron_recognise()
        entries = self.env["account.move"].search(
            [("journal_id", "=", self.accounts["journal"].id)]
        )
        self.assertEqual(entries, move)
        # the database refuses a second recognition of a line
        spend = self.Line.search([("kind", "=", "spend")], limit=1)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.Recognition.sudo().create(
                {
                    "line_id": spend.id,
                    "company_id": self.company.id,
                    "partner_id": spend.partner_id.id,
                }
            )
            self.env.flush_all()

    def test_a_recognition_entry_cannot_be_deleted(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._use(self.customer, 1)
        move = self._run()
        move.button_draft()
        with self.assertRaisesRegex(UserError, "recognised once only"):
            move.unlink()

    def test_a_locked_period_posts_on_the_first_open_date(self):
        today = fields.Date.today()
        used_on = date_utils.start_of(today - timedelta(days=62), "month") + timedelta(
            days=9
        )
        lock = date_utils.end_of(used_on, "month")
        with freeze_time(used_on):
            self._invoice(self._sell(self.customer, self.pack_10, 100))
            self._use(self.customer, 3)
        self.company.fiscalyear_lock_date = lock
        move = self._run()
        self.assertEqual(move.date, lock + timedelta(days=1))
        self.assertIn("first open date", str(move.narration))
        self.assertIn(str(used_on), move.line_ids[0].name)
        self.assertEqual(self._balance(self.deferred), -70)

    def test_the_report_equals_the_account_balance_at_several_dates(self):
        today = fields.Date.today()
        d1, d2, d3 = (today - timedelta(days=n) for n in (30, 20, 10))
        with freeze_time(d1):
            self._invoice(self._sell(self.customer, self.pack_10, 100))
        with freeze_time(d2):
            self._use(self.customer, 3)
            self._invoice(
                self._sell(self.other_customer, self.pack_50, 400, discount=10)
            )
            self._use(self.other_customer, 5)
        with freeze_time(d2 + timedelta(days=1)):
            self._run()
        with freeze_time(d3):
            self._invoice(self._sell(self.customer, self.pack_50, 500))
            self._use(self.customer, 9)  # 7 at 10.00, 2 at 10.00 of the 50-pack
            self.Recognition._cron_recognise()
        expected = {
            d1 - timedelta(days=1): 0,
            d1: 100,
            d2: 70 + 360 - 36,
            d3: 0 + 480 + 324,
            today: 480 + 324,
        }
        for date, total in expected.items():
            report = self._report(date)
            self.assertAlmostEqual(report.total_value, total, msg=str(date))
            self.assertEqual(report.account_balance, total, str(date))
            self.assertEqual(report.difference, 0, str(date))
        report = self._report(d3)
        by_partner = {line.partner_id: line for line in report.line_ids}
        self.assertEqual(by_partner[self.customer].credits, 48)
        self.assertEqual(by_partner[self.customer].value, 480)
        self.assertEqual(by_partner[self.other_customer].credits, 45)
        # credits used and not recognised yet: the report says why it differs
        self._use(self.customer, 1)
        report = self._report(today)
        self.assertEqual(report.total_value, 470 + 324)
        self.assertEqual(report.account_balance, 480 + 324)
        self.assertEqual(report.pending_value, 10)
        self.assertEqual(report.difference, 10)

    def test_two_companies_keep_their_own_accounts_journal_and_entries(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_b = self.env["res.company"].create({"name": "Vendor Europe"})
        self.env.user.company_ids |= company_b
        self.env["account.chart.template"].try_loading(
            "generic_coa", company_b, install_demo=False
        )
        accounts_b = self._setup_company(company_b)
        self.assertNotEqual(eur, company_b.currency_id)
        # the pack is sold in a foreign currency: valued at the invoice's rate
        # (2 EUR for 1 unit of the company's currency)
        self.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "company_id": company_b.id,
                "name": fields.Date.today() - timedelta(days=1),
                "rate": 2.0,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": company_b.id}
        )
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        invoice_b = self._invoice(
            self._sell(
                self.customer,
                self.pack_10,
                300,
                company=company_b,
                pricelist_id=pricelist.id,
            ).with_company(company_b)
        )
        self.assertEqual(invoice_b.invoice_line_ids.account_id, accounts_b["deferred"])
        self._use(self.customer, 1)
        self._use(self.customer, 2, company=company_b)
        self.Recognition._cron_recognise()
        moves = self.env["account.move"].search(
            [("ref", "like", "Support credits used")]
        )
        self.assertEqual(moves.company_id, self.company | company_b)
        move_b = moves.filtered(lambda move: move.company_id == company_b)
        self.assertEqual(move_b.journal_id, accounts_b["journal"])
        # 2 credits of 300 EUR / 2 / 10
        self.assertEqual(self._balance(accounts_b["income"]), -30)
        self.assertEqual(self._balance(accounts_b["deferred"]), -120)
        self.assertEqual(self._balance(self.deferred), -90)
        report_b = self._report(fields.Date.today(), company=company_b)
        self.assertEqual(
            (report_b.total_value, report_b.difference, report_b.line_ids.credits),
            (120, 0, 8),
        )

    def test_bad_configuration_is_refused_with_a_clear_message(self):
        receivable = self._account(self.company, "Receivable", "asset_receivable")
        with self.assertRaisesRegex(ValidationError, "must be a current liability"):
            self.company.support_deferred_account_id = receivable
        with self.assertRaisesRegex(ValidationError, "journal is set without"):
            self.company.support_deferred_account_id = False
        with self.assertRaisesRegex(ValidationError, "no journal is set"):
            self.company.support_recognition_journal_id = False
        sale_journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        )
        with self.assertRaisesRegex(ValidationError, "miscellaneous journal"):
            self.company.support_recognition_journal_id = sale_journal

    def test_a_currency_without_a_rate_is_refused_at_posting(self):
        currency = self.env["res.currency"].create(
            {"name": "XTS", "symbol": "¤", "rounding": 0.01}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "XTS", "currency_id": currency.id}
        )
        order = self._sell(self.customer, self.pack_10, 100, pricelist_id=pricelist.id)
        invoice = order._create_invoices()
        with self.assertRaisesRegex(UserError, "XTS, which has no exchange rate"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")

    def test_an_income_account_is_needed_to_recognise(self):
        self._invoice(self._sell(self.customer, self.pack_10, 100))
        self._use(self.customer, 1)
        self.pack_10.with_company(self.company).write(
            {"property_account_income_id": False}
        )
        self.pack_10.categ_id.with_company(self.company).write(
            {"property_account_income_categ_id": False}
        )
        self.company.income_account_id = False
        with self.assertRaisesRegex(UserError, "has no income account"):
            self._run()
        self.assertFalse(self.Recognition.search([]))

    def test_settings_show_the_company_configuration(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.support_deferred_account_id, self.deferred)
        self.assertEqual(
            settings.support_recognition_journal_id, self.accounts["journal"]
        )
        self.assertTrue(Command)
