# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class SupportCreditWallet(models.Model):
    """The wallet checked against the sale documents: what each pack line put
    in the ledger must equal what the line entitles the customer to (see
    ``sale.order.line._get_support_credits_entitled``), in the wallet that
    received its grant. Managers see the wallets that disagree; the test suite
    runs the same check after every test."""

    _inherit = "support.credit.wallet"

    sale_credits_entitled = fields.Integer(
        string="Per sale documents",
        compute="_compute_sale_reconciliation",
        help="Credits this wallet's pack lines entitle the customer to.",
    )
    sale_credits_posted = fields.Integer(
        string="Posted for sales",
        compute="_compute_sale_reconciliation",
        help="Credits the ledger holds for pack lines (purchases and reversals).",
    )
    sale_reconciled = fields.Boolean(
        string="Matches sale documents",
        compute="_compute_sale_reconciliation",
        search="_search_sale_reconciled",
    )

    def _compute_sale_reconciliation(self):
        posted = self._get_sale_totals()
        gap = defaultdict(int)
        problems = self._get_sale_discrepancies()
        for problem in problems:
            gap[problem["wallet"]] += (problem["entitled"] or 0) - problem["posted"]
        wrong = {problem["wallet"] for problem in problems}
        for wallet in self:
            wallet.sale_credits_posted = posted.get(wallet, 0)
            wallet.sale_credits_entitled = posted.get(wallet, 0) + gap[wallet]
            wallet.sale_reconciled = wallet not in wrong

    def _search_sale_reconciled(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        wrong = [p["wallet"].id for p in self._get_sale_discrepancies() if p["wallet"]]
        reconciled = value if operator == "=" else not value
        return Domain("id", "not in" if reconciled else "in", wrong)

    def _get_sale_totals(self):
        """Credits the ledger holds for pack lines, per wallet."""
        return dict(
            self.env["support.credit.line"]
            .sudo()
            ._read_group(
                [("wallet_id", "in", self.ids), ("sale_line_id", "!=", False)],
                ["wallet_id"],
                ["amount:sum"],
            )
        )

    @api.model
    def _get_sale_discrepancies(self):
        """Every pack line whose ledger disagrees with its sale documents: a
        list of ``{"wallet", "sale_line", "entitled", "posted"}``, empty when
        all is well. ``self``: the wallets to check (all when empty). A line's
        credits found in another wallet than the one that received its grant
        are a discrepancy of both wallets."""
        SaleLine = self.env["sale.order.line"].sudo()
        domain = Domain("support_credit_line_ids", "!=", False) | (
            Domain("order_id.state", "=", "sale")
            & Domain("product_id.support_credits", ">", 0)
        )
        if self:
            domain &= Domain("support_credit_wallet_id", "in", self.ids) | Domain(
                "support_credit_line_ids.wallet_id", "in", self.ids
            )
        lines = SaleLine.search(domain)._filter_support_credit_packs()
        posted = defaultdict(dict)
        for line, wallet, amount in (
            self.env["support.credit.line"]
            .sudo()
            ._read_group(
                [("sale_line_id", "in", lines.ids)],
                ["sale_line_id", "wallet_id"],
                ["amount:sum"],
            )
        ):
            posted[line][wallet] = amount
        problems = []
        for line in lines:
            home = line.support_credit_wallet_id.sudo()
            by_wallet = dict(posted[line])
            at_home = by_wallet.pop(home, 0)
            try:
                entitled = line._get_support_credits_entitled()
            except UserError:  # a fractional quantity: no entitlement can be read
                entitled = None
            if entitled != at_home:
                problems.append(
                    {
                        "wallet": home,
                        "sale_line": line,
                        "entitled": entitled,
                        "posted": at_home,
                    }
                )
            problems += [
                {"wallet": wallet, "sale_line": line, "entitled": 0, "posted": amount}
                for wallet, amount in by_wallet.items()
                if amount
            ]
        if self:
            problems = [p for p in problems if p["wallet"] in self]
        return problems

    def action_open_sale_lines(self):
        """The pack order lines that put credits in this wallet."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit pack lines"),
            "res_model": "sale.order.line",
            "view_mode": "list,form",
            "domain": [("support_credit_wallet_id", "=", self.id)],
        }
