# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SupportCreditWallet(models.Model):
    """The support credit wallet of a commercial partner in one company.

    The balance is stored and only ever changed by the postings
    (``support_credit_wallet_posting.py``), with one conditional ``UPDATE`` in
    the same statement as the ledger lines it records. Odoo runs at
    REPEATABLE READ: a concurrent change of the same wallet makes the later
    transaction fail with a serialization error, which Odoo retries from the
    start, so two spenders can never both use the same credits. The ``CHECK``
    constraint keeps the balance from going negative whatever code runs.
    """

    _name = "support.credit.wallet"
    _description = "Support Credit Wallet"
    _order = "partner_id, company_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    balance = fields.Integer(readonly=True)
    line_count = fields.Integer(
        string="Ledger lines",
        readonly=True,
        help="Kept with the balance, so that paging the ledger never counts it.",
    )
    line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="wallet_id",
        string="Ledger",
        readonly=True,
    )

    buy_credits_url = fields.Char(compute="_compute_buy_credits_url")

    _partner_company_unique = models.UniqueIndex(
        "(partner_id, company_id)",
        "A customer has one credit wallet per company.",
    )
    _balance_not_negative = models.Constraint(
        "CHECK(balance >= 0)",
        "A credit wallet can never go below zero.",
    )

    def _compute_buy_credits_url(self):
        path = self._get_buy_credits_url()
        for wallet in self:
            wallet.buy_credits_url = wallet.get_base_url() + path

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("balance"):
                raise UserError(
                    self.env._("Credits are added to a wallet through its ledger only.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if {"balance", "line_count"} & set(vals):
            raise UserError(
                self.env._("Credits are added to a wallet through its ledger only.")
            )
        return super().write(vals)

    def action_open_ledger(self):
        self.ensure_one()
        return self.partner_id.action_open_support_credit_lines()

    @api.model
    def _get_wallets(self, partners, company):
        """Return the wallets of ``partners``' commercial partners in ``company``,
        creating the missing ones (empty), in one statement. When two
        transactions create or post to the same wallet, the later one gets a
        serialization failure that Odoo retries."""
        if not partners:
            return self.browse()
        self.env.cr.execute(self._upsert_wallets_sql(partners, company))
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _upsert_wallets_sql(self, partners, company, total=0, count=0):
        """The statement that creates the missing wallets of ``partners``'
        commercial partners in ``company`` and adds ``total`` credits and
        ``count`` ledger lines to each, returning (id, balance, partner_id,
        company_id) of each."""
        partners.flush_recordset(["commercial_partner_id"])
        return SQL(
            """
            INSERT INTO support_credit_wallet AS w
                (partner_id, company_id, balance, line_count, create_uid,
                 create_date, write_uid, write_date)
            SELECT DISTINCT p.commercial_partner_id, %(company)s, %(total)s,
                   %(count)s, %(uid)s, now() at time zone 'UTC', %(uid)s,
                   now() at time zone 'UTC'
              FROM res_partner p
             WHERE p.id = ANY(%(partners)s)
            ON CONFLICT (partner_id, company_id) DO UPDATE
               SET balance = w.balance + EXCLUDED.balance,
                   line_count = w.line_count + EXCLUDED.line_count,
                   write_uid = CASE WHEN EXCLUDED.line_count > 0
                                    THEN EXCLUDED.write_uid ELSE w.write_uid END,
                   write_date = CASE WHEN EXCLUDED.line_count > 0
                                     THEN EXCLUDED.write_date ELSE w.write_date END
            RETURNING w.id, w.balance, w.partner_id, w.company_id
            """,
            company=company.id,
            partners=list(partners.ids),
            total=total,
            count=count,
            uid=self.env.uid,
        )

    @api.model
    def _get_buy_credits_url(self):
        """Path of the shop page that sells the credit packs."""
        category = self.env.ref(
            "helpdesk_premium_support.product_public_category_premium_support",
            raise_if_not_found=False,
        )
        return f"/shop/category/{category.id}" if category else "/shop"
