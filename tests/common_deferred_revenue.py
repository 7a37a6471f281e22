# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields

from .common import PremiumSupportCase


class DeferredRevenueCase(PremiumSupportCase):
    """A company whose support credit_count are deferred revenue: its own
    deferred, income and receivable accounts and a recognition journal, and
    packs sold at known prices (no tax, so that amounts read plainly)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recognition = cls.env["support.credit.recognition"]
        cls.accounts = cls._setup_company(cls.company)
        cls.deferred = cls.accounts["deferred"]
        cls.income = cls.accounts["income"]
        cls.income_big = cls._account(
            cls.company, "Support income, big packs", "income"
        )
        cls.pack_50.with_company(
            cls.company
        ).property_account_income_id = cls.income_big
        (cls.pack_10 | cls.pack_50 | cls.pack_1).taxes_id = False

    @classmethod
    def _account(cls, company, name, account_type, code=None):
        Account = cls.env["account.account"].with_company(company)
        code = code or str(700000 + Account.search_count([]) + 1)
        return Account.create(
            {"name": name, "code": code, "account_type": account_type}
        )

    @classmethod
    def _setup_company(cls, company):
        """Deferred and income accounts and a recognition journal for
        ``company``, set on it; the packs' income account there."""
        deferred = cls._account(
            company, "Deferred support revenue", "liability_current"
        )
        income = cls._account(company, "Support income", "income")
        journal = (
            cls.env["account.journal"]
            .with_company(company)
            .create(
                {
                    "name": "Support revenue recognition",
                    "code": "SREV",
                    "type": "general",
                    "company_id": company.id,
                }
            )
        )
        for pack in cls.pack_1 | cls.pack_10 | cls.pack_50:
            pack.with_company(company).property_account_income_id = income
        company.write(
            {
                "support_deferred_account_id": deferred.id,
                "support_recognition_journal_id": journal.id,
            }
        )
        return {"deferred": deferred, "income": income, "journal": journal}

    @classmethod
    def _sell(cls, partner, pack, price, qty=1, discount=0.0, company=None, **values):
        """A confirmed order of ``qty`` ``pack`` at ``price`` each."""
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": pack.product_variant_id.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "discount": discount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **values,
                }
            )
        )
        order.action_confirm()
        return order

    @classmethod
    def _invoice(cls, order, date=None):
        invoice = order._create_invoices()
        invoice.invoice_date = date or fields.Date.context_today(invoice)
        invoice.action_post()
        return invoice

    def _use(self, partner, credit_count, company=None):
        """A ticket of ``partner`` accepted at ``credit_count``: the spending."""
        ticket = self._ticket(partner)
        wallet = self._wallet(partner, company)
        return wallet._spend(credit_count, ticket)

    def _run(self, company=None):
        return self.Recognition._recognise_company(company or self.company)

    def _balance(self, account, date=None, partner=None):
        """Balance of ``account`` (posted entries, up to ``date``)."""
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if date:
            domain.append(("date", "<=", date))
        if partner:
            domain.append(("partner_id", "=", partner.id))
        lines = self.env["account.move.line"].search(domain)
        return self.env.company.currency_id.round(sum(lines.mapped("balance")))

    def _report(self, date, company=None):
        return self.env["support.credit.unearned.report"].create(
            {"date": date, "company_id": (company or self.company).id}
        )
