# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class SupportCreditRecognition(models.Model):
    """The revenue recognised for one ledger line that used credits.

    A spending (or a manual adjustment that takes credits away) uses credits
    first bought, first used, per wallet; the price paid for them moves from
    the deferred support revenue account to the packs' income accounts in
    the entry of a recognition run. Each such ledger line is recognised once:
    a unique index on ``line_id`` makes the database refuse a second
    recognition, whatever runs concurrently.

    The order in which credits are used, replayed from the ledger (see
    :meth:`_replay_wallets`):

    - credits granted by a pack line (a purchase) form a lot, in the order of
      their first grant; credits of a lot are used in that order;
    - credits granted without money (a manager's positive adjustment) carry no
      value and are used first, as soon as they are granted: they never delay
      the revenue of paid credits used before them, and a credit note can
      still take back the paid credits left;
    - a reversal (order cancelled, credit note) takes the unused credits of its
      own pack line, then, if short, free credits, then the newest lots;
    - a manual adjustment that takes credits away uses them like a spending:
      the paid credits it removes are revenue (the customer lost them).

    A credit's price is its pack line's invoiced amount, untaxed, in company
    currency (at the invoice's rate) and after discounts, on the deferred
    account, divided by the credits invoiced. Credits used before their pack
    line is invoiced wait for the invoice; a pack line sold at zero price
    needs none: its credits carry no value."""

    _name = "support.credit.recognition"
    _description = "Support Credit Revenue Recognition"
    _order = "id desc"
    _rec_name = "line_id"

    line_id = fields.Many2one(
        comodel_name="support.credit.line",
        string="Ledger line",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        readonly=True, help="Revenue recognised for the credits of the line."
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Journal entry",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )

    _line_recognised_once = models.UniqueIndex(
        "(line_id)", "A ledger line is recognised once only."
    )

    # ------------------------------------------------------------------
    # scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_recognise(self):
        """Recognise, in every company whose credits are deferred revenue,
        the revenue of every credit used up to now. One entry per company and
        run; a company whose configuration is broken is skipped, said in the
        log, and the others go on."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("support_deferred_account_id", "!=", False)])
        )
        for company in companies:
            problem = company._get_support_deferred_problem()
            if problem:
                _logger.warning("Support revenue recognition skipped: %s", problem)
                continue
            self._recognise_company(company)

    @api.model
    def _recognise_company(self, company):
        """Post the recognition entry of ``company`` for the credits used and
        not yet recognised. Returns the entry (empty when there was nothing
        to post, or when a concurrent run recognised the same lines first)."""
        problem = company._get_support_deferred_problem()
        if problem:
            raise UserError(problem)
        if not self.env.su or self.env.company != company:
            return self.sudo().with_company(company)._recognise_company(company)
        wallet_ids = self._get_pending_wallet_ids(company)
        if not wallet_ids:
            return self.env["account.move"]
        replay = self._replay_wallets(company, wallet_ids)
        recognised = self._get_recognised_line_ids(replay["used"])
        todo = [
            used
            for used in replay["used"]
            if used["line_id"] not in recognised and used["valued"]
        ]
        if not todo:
            return self.env["account.move"]
        if not self._claim(company, todo):
            return self.env["account.move"]
        move = self._post_entry(company, todo)
        if move:
            self.env.cr.execute(
                """
                UPDATE support_credit_recognition SET move_id = %s
                 WHERE line_id = ANY(%s)
                """,
                [move.id, [used["line_id"] for used in todo]],
            )
        return move

    # ------------------------------------------------------------------
    # reading the ledger and the invoices
    # ------------------------------------------------------------------
    @api.model
    def _get_pending_wallet_ids(self, company):
        """Wallets of ``company`` with a line that used credits and was not
        recognised yet."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT l.wallet_id
              FROM support_credit_line l
             WHERE l.company_id = %s AND l.amount < 0
               AND l.kind IN ('spend', 'adjustment')
               AND NOT EXISTS (SELECT 1 FROM support_credit_recognition r
                                WHERE r.line_id = l.id)
            """,
            [company.id],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _get_recognised_line_ids(self, used):
        if not used:
            return {}
        self.env.cr.execute(
            """
            SELECT r.line_id, m.date, m.state
              FROM support_credit_recognition r
         LEFT JOIN account_move m ON m.id = r.move_id
             WHERE r.line_id = ANY(%s)
            """,
            [[u["line_id"] for u in used]],
        )
        return {
            line_id: date if state == "posted" or date is None else None
            for line_id, date, state in self.env.cr.fetchall()
        }

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

    # ------------------------------------------------------------------
    # posting
    # ------------------------------------------------------------------
    @api.model
    def _claim(self, company, todo):
        """Insert the recognition rows of ``todo`` before anything is posted.
        A concurrent run that recognised one of them first makes the insert
        fail on the unique index (or on serialization): then this run posts
        nothing for the company and says so."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    """
                    INSERT INTO support_credit_recognition
                        (line_id, company_id, partner_id, amount, create_uid,
                         create_date, write_uid, write_date)
                    SELECT line_id, %(company)s, partner_id, amount, %(uid)s,
                           now() at time zone 'UTC', %(uid)s,
                           now() at time zone 'UTC'
                      FROM unnest(%(lines)s, %(partners)s, %(amounts)s::numeric[])
                           AS t(line_id, partner_id, amount)
                    """,
                    {
                        "company": company.id,
                        "uid": self.env.uid,
                        "lines": [used["line_id"] for used in todo],
                        "partners": [used["partner_id"] for used in todo],
                        "amounts": [used["value"] for used in todo],
                    },
                    log_exceptions=False,
                )
        except (
            psycopg2.errors.UniqueViolation,
            psycopg2.errors.SerializationFailure,
        ):
            _logger.info(
                "Support revenue recognition of %s: another run recognised the "
                "same credits first; nothing posted by this one.",
                company.name,
            )
            return False
        return True

    @api.model
    def _post_entry(self, company, todo):
        """One entry for the run: per customer and income account, the price
        of the credits used moves from the deferred account to income. Posted
        on the latest date of use (or of the invoice that priced the credits),
        or on the first open date after the lock dates."""
        groups = defaultdict(lambda: {"amount": 0.0, "first": None, "last": None})
        for used in todo:
            for lot, _taken, value in used["allocations"]:
                if not lot["income_account_id"]:
                    raise UserError(
                        self.env._(
                            "%(product)s has no income account in %(company)s: the "
                            "revenue of its support credits cannot be recognised.",
                            product=lot["product"],
                            company=company.name,
                        )
                    )
                group = groups[(used["partner_id"], lot["income_account_id"])]
                group["amount"] += value
                group["first"] = min(group["first"] or used["date"], used["date"])
                group["last"] = max(group["last"] or used["date"], used["date"])
        currency = company.currency_id
        groups = {
            key: group
            for key, group in groups.items()
            if not currency.is_zero(group["amount"])
        }
        if not groups:
            return self.env["account.move"]
        journal = company.support_recognition_journal_id
        wanted = max(used["valued_on"] for used in todo)
        date, locked = self._get_open_date(company, journal, wanted)
        first = min(group["first"] for group in groups.values())
        ref = self.env._(
            "Support credits used from %(first)s to %(last)s",
            first=first,
            last=max(group["last"] for group in groups.values()),
        )
        deferred = company.support_deferred_account_id
        line_vals = []
        for (partner_id, account_id), group in sorted(groups.items()):
            label = self.env._(
                "Support credits used from %(first)s to %(last)s",
                first=group["first"],
                last=group["last"],
            )
            amount = currency.round(group["amount"])
            # no analytic distribution: recognition moves revenue between two
            # accounts, the invoice carried the analytics (and 1,000 customers
            # would otherwise cost 1,000 distribution model searches)
            common = {
                "partner_id": partner_id,
                "name": label,
                "analytic_distribution": False,
                "currency_id": currency.id,
                "tax_ids": [],
            }
            line_vals += [
                Command.create(
                    {
                        **common,
                        "account_id": deferred.id,
                        "balance": amount,
                        "amount_currency": amount,
                    }
                ),
                Command.create(
                    {
                        **common,
                        "account_id": account_id,
                        "balance": -amount,
                        "amount_currency": -amount,
                    }
                ),
            ]
        narration = None
        if locked:
            narration = self.env._(
                "Posted on %(date)s, the first open date: the period of use "
                "(up to %(wanted)s) is locked.",
                date=date,
                wanted=wanted,
            )
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .with_context(skip_analytic_sync=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": date,
                    "ref": ref,
                    "narration": narration,
                    "line_ids": line_vals,
                }
            )
        )
        move._post(soft=False)
        if locked:
            _logger.info("Support revenue recognition: %s", narration)
        return move

    @api.model
    def _get_open_date(self, company, journal, wanted):
        """``wanted``, or the first date after the lock dates that cover it.
        Returns (date, moved)."""
        locks = company._get_violated_lock_dates(wanted, False, journal)
        if not locks:
            return wanted, False
        return locks[-1][0] + timedelta(days=1), True
