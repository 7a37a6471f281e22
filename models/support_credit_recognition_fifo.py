# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, models

_logger = logging.getLogger(__name__)


class SupportCreditRecognition(models.Model):
    """Credits valued first bought, first used: each wallet's ledger replayed
    in order, pack lines priced from their invoices, free credits first; the
    same replay gives the unearned credits at any date."""

    _inherit = "support.credit.recognition"

    @api.model
    def _replay_wallets(self, company, wallet_ids=None, date=None):
        """Replay the ledger of the wallets (all of the company's when None),
        up to the end of ``date`` (UTC; None: everything), and value it with
        the invoices and credit notes posted up to ``date``.

        Returns a dict: ``used``, one entry per ledger line that used credits
        (line_id, partner_id, date, valued: all its credits have a price,
        value, allocations: [(sale_line_id, credits, value)], valued_on: the
        latest date of the invoices that priced them); ``lots`` per sale line
        (wallet, partner, granted/taken/removed credits, invoiced value and
        refunded value); ``free`` credits per wallet; ``credits`` per
        partner (its balance)."""
        self.env.flush_all()
        where = "l.company_id = %(company)s"
        if wallet_ids is not None:
            where += " AND l.wallet_id = ANY(%(wallets)s)"
        if date:
            where += " AND l.date < %(until)s"
        until = datetime.combine(date, time.min) + timedelta(days=1) if date else None
        self.env.cr.execute(
            f"""
            SELECT l.id, l.wallet_id, l.partner_id, l.kind, l.amount,
                   l.sale_line_id, l.date
              FROM support_credit_line l
             WHERE {where}
          ORDER BY l.wallet_id, l.id
            """,  # noqa: S608 - only fixed clauses are formatted in
            {"company": company.id, "wallets": wallet_ids or [], "until": until},
        )
        rows = self.env.cr.fetchall()
        sale_line_ids = {row[5] for row in rows if row[5]}
        prices = self._get_lot_prices(company, sale_line_ids, date)
        lots = {}
        used = []
        free = defaultdict(int)
        balances = defaultdict(int)
        fifo = defaultdict(list)
        for line_id, wallet_id, partner_id, kind, amount, sale_line_id, ldate in rows:
            balances[partner_id] += amount
            if sale_line_id and amount > 0:
                lot = lots.get(sale_line_id)
                if lot is None:
                    lot = lots[sale_line_id] = {
                        "sale_line_id": sale_line_id,
                        "wallet_id": wallet_id,
                        "partner_id": partner_id,
                        "granted": 0,
                        "taken": 0,
                        "removed": 0,
                        **prices.get(sale_line_id, self._no_price()),
                    }
                    fifo[wallet_id].append(lot)
                lot["granted"] += amount
            elif sale_line_id:
                self._take_back(lots[sale_line_id], -amount, fifo[wallet_id], free)
            elif amount > 0:
                free[wallet_id] += amount
            else:
                used.append(
                    self._use(
                        line_id, partner_id, ldate, -amount, wallet_id, fifo, free
                    )
                )
        return {"used": used, "lots": lots, "free": free, "credits": balances}

    @api.model
    def _no_price(self):
        return {
            "invoiced_credits": 0,
            "invoiced_value": 0.0,
            "refunded_value": 0.0,
            "free_of_charge": False,
            "valued_on": None,
            "income_account_id": None,
            "product": "",
            "round": self.env.company.currency_id.round,
        }

    @api.model
    def _take_back(self, lot, amount, lots, free):
        """A reversal of ``amount`` credits of ``lot``'s pack line: its own
        unused credits, then free ones, then the newest lots'."""
        own = min(amount, self._remaining(lot))
        lot["removed"] += own
        amount -= own
        wallet_id = lot["wallet_id"]
        from_free = min(amount, free[wallet_id])
        free[wallet_id] -= from_free
        amount -= from_free
        for other in reversed(lots):
            if not amount:
                break
            taken = min(amount, self._remaining(other))
            other["removed"] += taken
            amount -= taken

    @api.model
    def _remaining(self, lot):
        return lot["granted"] - lot["taken"] - lot["removed"]

    @api.model
    def _use(self, line_id, partner_id, ldate, amount, wallet_id, fifo, free):
        """Use ``amount`` credits of the wallet for one ledger line: free
        credits first, then the lots first bought, first used."""
        from_free = min(amount, free[wallet_id])
        free[wallet_id] -= from_free
        amount -= from_free
        allocations = []
        valued = True
        valued_on = ldate.date()
        for lot in fifo[wallet_id]:
            if not amount:
                break
            taken = min(amount, self._remaining(lot))
            if not taken:
                continue
            start, end = lot["taken"], lot["taken"] + taken
            lot["taken"] = end
            amount -= taken
            value = self._value(lot, start, end)
            if value is None:
                valued = False
            else:
                if lot["valued_on"]:
                    valued_on = max(valued_on, lot["valued_on"])
                allocations.append((lot, taken, value))
        return {
            "line_id": line_id,
            "partner_id": partner_id,
            "date": ldate.date(),
            "valued": valued,
            "valued_on": valued_on,
            "allocations": allocations,
            "value": sum(value for _lot, _taken, value in allocations),
        }

    @api.model
    def _value(self, lot, start, end):
        """Value of the credits ``start`` to ``end`` (excluded) used from
        ``lot``, or None while they are not invoiced. Rounded on the running
        total, so that all the credits of a lot add up to its value exactly."""
        if lot["free_of_charge"]:
            return 0.0
        invoiced = lot["invoiced_credits"]
        if end > invoiced:
            return None
        total = lot["invoiced_value"]
        round_ = lot["round"]
        return round_(total * end / invoiced) - round_(total * start / invoiced)

    @api.model
    def _get_lot_prices(self, company, sale_line_ids, date=None):
        """For each pack line: the credits invoiced and their value on the
        deferred account (company currency, untaxed, after discounts), the
        value refunded by credit notes, the latest invoice date, the income
        account its credits are recognised to; up to ``date`` when given."""
        if not sale_line_ids:
            return {}
        deferred = company.support_deferred_account_id
        currency = company.currency_id
        SaleLine = self.env["sale.order.line"].sudo().with_company(company)
        sale_lines = SaleLine.browse(sale_line_ids)
        prices = {}
        for sale_line in sale_lines:
            product = sale_line.product_id.with_company(company)
            accounts = product.product_tmpl_id.get_product_accounts(
                fiscal_pos=sale_line.order_id.fiscal_position_id
            )
            prices[sale_line.id] = {
                **self._no_price(),
                "free_of_charge": currency.is_zero(sale_line.price_subtotal),
                "income_account_id": accounts["income"].id,
                "product": product.display_name,
                "round": currency.round,
            }
        domain = [
            ("sale_line_ids", "in", list(sale_line_ids)),
            ("parent_state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("display_type", "=", "product"),
        ]
        if date:
            domain.append(("date", "<=", date))
        invoice_lines = self.env["account.move.line"].sudo().search(domain)
        for aml in invoice_lines:
            for sale_line in aml.sale_line_ids & sale_lines:
                price = prices[sale_line.id]
                units = sale_line._get_support_credits_units(
                    aml.quantity, aml.product_uom_id
                )
                credit_count = units * (
                    sale_line.support_credits_per_unit
                    or sale_line.product_id.support_credits
                )
                value = -aml.balance if aml.account_id == deferred else 0.0
                if aml.move_type == "out_invoice":
                    price["invoiced_credits"] += credit_count
                    price["invoiced_value"] += value
                    price["valued_on"] = max(price["valued_on"] or aml.date, aml.date)
                else:
                    price["refunded_value"] -= value
        return prices

    @api.model
    def _get_unearned(self, company, date):
        """The unearned support credits of ``company`` at the end of ``date``:
        per customer, the credits left and the value of the paid ones; the
        total; the balance of the deferred account (as a liability); the
        value of credits used by then whose recognition is not posted by
        then; and the difference between the account and the total."""
        if not self.env.su or self.env.company != company:
            return self.sudo().with_company(company)._get_unearned(company, date)
        replay = self._replay_wallets(company, date=date)
        recognised = self._get_recognised_line_ids(replay["used"])
        used_value = defaultdict(float)
        pending = 0.0
        for used in replay["used"]:
            if not used["valued"]:
                continue
            for lot, _taken, value in used["allocations"]:
                used_value[lot["sale_line_id"]] += value
            posted_on = recognised.get(used["line_id"])
            if not posted_on or posted_on > date:
                pending += used["value"]
        values = defaultdict(float)
        for sale_line_id, lot in replay["lots"].items():
            values[lot["partner_id"]] += (
                lot["invoiced_value"] - lot["refunded_value"] - used_value[sale_line_id]
            )
        currency = company.currency_id
        partners = {
            partner_id: {
                "credits": credits,
                "value": currency.round(values[partner_id]),
            }
            for partner_id, credits in replay["credits"].items()
            if credits or not currency.is_zero(values[partner_id])
        }
        total = currency.round(sum(p["value"] for p in partners.values()))
        balance = 0.0
        account = company.support_deferred_account_id
        if account:
            self.env.cr.execute(
                """
                SELECT COALESCE(SUM(balance), 0) FROM account_move_line
                 WHERE account_id = %s AND company_id = %s
                   AND parent_state = 'posted' AND date <= %s
                """,
                [account.id, company.id, date],
            )
            balance = -self.env.cr.fetchone()[0]
        balance = currency.round(float(balance))
        return {
            "partners": partners,
            "total": total,
            "balance": balance,
            "pending": currency.round(pending),
            "difference": currency.round(balance - total),
        }
