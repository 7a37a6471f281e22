# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SupportCreditWallet(models.Model):
    """Posting to a wallet: grants, spendings, reversals and adjustments, each
    one statement that changes the balance and writes the ledger lines; the
    refusals that name what is missing."""

    _inherit = "support.credit.wallet"

    @api.model
    def _post_movements(self, movements_by_wallet):
        """Apply ``{wallet: [movement, ...]}`` wallet by wallet (see
        :meth:`_post_many`). When a wallet cannot cover its movements (credits
        to take back were spent), nothing is posted and the whole operation is
        refused with a message that names the customer and what is missing."""
        for wallet, movements in movements_by_wallet.items():
            if not wallet._post_many(movements):
                total = sum(movement["amount"] for movement in movements)
                raise UserError(wallet._get_reversal_refusal_message(-total))

    @api.model
    def _add_to_customer(self, partner, company, movements):
        """Credit ``movements`` (adding up to more than zero: the balance
        constraint refuses anything else) to ``partner``'s wallet in
        ``company``, created if it has none; record the lines. One statement,
        as :meth:`_post_many`. Returns the wallet."""
        partner.ensure_one()
        total = self._check_movements(movements)
        wallet, _lines = self._apply_movements(
            self._upsert_wallets_sql(partner, company, total, len(movements)),
            movements,
            total,
        )
        return wallet

    def _post(self, amount, kind, reason, **links):
        """Add ``amount`` credits (negative to take) to this wallet and record
        the ledger line. See :meth:`_post_many`."""
        return self._post_many([dict(amount=amount, kind=kind, reason=reason, **links)])

    def _post_many(self, movements):
        """Apply ``movements`` to this wallet at once and record one ledger line
        each. A movement is a dict with ``amount`` (whole credits, negative to
        take), ``kind``, ``reason`` and links to source records
        (``sale_line_id``, ``ticket_id``, ``move_id``) as records.

        Private: grants, spends and reversals go through here (or through
        :meth:`_add_to_customer`, its twin for a first grant) only. Returns the new
        ledger lines, or an empty recordset when the wallet does not hold
        enough credits (nothing is changed then)."""
        self.ensure_one()
        total = self._check_movements(movements)
        wallet_sql = SQL(
            """
            UPDATE support_credit_wallet
               SET balance = balance + %(total)s,
                   line_count = line_count + %(count)s,
                   write_uid = %(uid)s,
                   write_date = now() at time zone 'UTC'
             WHERE id = %(id)s AND balance + %(total)s >= 0
         RETURNING id, balance, partner_id, company_id
            """,
            total=total,
            count=len(movements),
            uid=self.env.uid,
            id=self.id,
        )
        _wallet, lines = self._apply_movements(wallet_sql, movements, total)
        return lines

    @api.model
    def _check_movements(self, movements):
        """Refuse a movement that is not a non-zero whole number of credits;
        return their total."""
        for movement in movements:
            amount = movement["amount"]
            if not isinstance(amount, int) or isinstance(amount, bool) or not amount:
                raise UserError(
                    self.env._("A credit movement is a non-zero whole number.")
                )
        return sum(movement["amount"] for movement in movements)

    @api.model
    def _apply_movements(self, wallet_sql, movements, total):
        """Change a wallet with ``wallet_sql`` (an UPDATE or INSERT returning
        the wallet's id, new balance, partner and company, or no row when it
        refuses) and write the ledger lines of ``movements`` with their
        running balances, in one statement: the balance and its lines can
        never be apart, and a posting costs one round trip (it runs in every
        order confirmation and every acceptance). Returns the wallet and the
        new lines (both empty when refused)."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH wallet AS (%(wallet_sql)s)
                INSERT INTO support_credit_line
                    (wallet_id, partner_id, company_id, date, user_id, kind,
                     amount, balance_after, reason, sale_line_id, sale_order_id,
                     ticket_id, move_id, create_uid, create_date, write_uid,
                     write_date)
                SELECT wallet.id, wallet.partner_id, wallet.company_id,
                       %(now)s, %(uid)s, m.kind, m.amount,
                       wallet.balance - %(total)s
                           + sum(m.amount) OVER (ORDER BY m.n),
                       m.reason, m.sale_line_id, m.sale_order_id, m.ticket_id,
                       m.move_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM wallet
                 CROSS JOIN unnest(
                       %(kinds)s::varchar[], %(amounts)s::int[],
                       %(reasons)s::varchar[], %(sale_lines)s::int[],
                       %(orders)s::int[], %(tickets)s::int[], %(moves)s::int[]
                       ) WITH ORDINALITY
                       AS m(kind, amount, reason, sale_line_id, sale_order_id,
                            ticket_id, move_id, n)
              ORDER BY m.n
             RETURNING id, wallet_id, balance_after
                """,
                wallet_sql=wallet_sql,
                now=now,
                uid=self.env.uid,
                total=total,
                kinds=[movement["kind"] for movement in movements],
                amounts=[movement["amount"] for movement in movements],
                reasons=[movement["reason"] for movement in movements],
                sale_lines=self._movement_links(movements, "sale_line_id"),
                orders=[
                    movement["sale_line_id"].order_id.id
                    if movement.get("sale_line_id")
                    else None
                    for movement in movements
                ],
                tickets=self._movement_links(movements, "ticket_id"),
                moves=self._movement_links(movements, "move_id"),
            )
        )
        rows = sorted(self.env.cr.fetchall())
        if not rows:
            return self.browse(), self.env["support.credit.line"]
        self._invalidate_after_posting()
        wallet = self.browse(rows[0][1])
        balance = rows[-1][2]
        if total < 0:
            wallet._notify_low_balance(balance - total, balance)
        return wallet, self.env["support.credit.line"].browse(row[0] for row in rows)

    @api.model
    def _movement_links(self, movements, name):
        """The ids ``movements`` link to under ``name`` (None when none)."""
        return [
            movement[name].id if movement.get(name) else None for movement in movements
        ]

    @api.model
    def _invalidate_after_posting(self):
        """Forget what the cache holds of wallets and ledgers: a posting
        writes them in SQL."""
        self.invalidate_model(["balance", "line_count", "write_uid", "write_date"])
        self.env["res.partner"].invalidate_model(["support_credit_balance"])
        Line = self.env["support.credit.line"]
        for name in ("wallet_id", "sale_line_id", "ticket_id", "move_id"):
            for inverse in self.pool.field_inverses[Line._fields[name]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])

    def _spend(self, amount, ticket, reason=None):
        """Take ``amount`` credits for ``ticket``. Private: the ticket's
        acceptance checks who asks before calling it.

        Raises a UserError saying how many credits are missing when the
        balance is short, and the ticket's own refusal of an amount that is no
        cost (``_check_cost``); nothing is changed then."""
        self.ensure_one()
        ticket._check_cost(amount)
        line = self._post(
            -amount,
            "spend",
            reason
            or self.env._("Ticket %(ticket)s accepted", ticket=ticket.display_name),
            ticket_id=ticket,
        )
        if not line:
            balance = self.sudo().balance
            raise UserError(
                self.env._(
                    "Not enough support credits: this request costs %(cost)s, "
                    "your company has %(balance)s. %(missing)s credit(s) missing; "
                    "you can buy more on %(url)s.",
                    cost=amount,
                    balance=balance,
                    missing=amount - balance,
                    url=self._get_buy_credits_url(),
                )
            )
        return line

    def _get_reversal_refusal_message(self, amount):
        self.ensure_one()
        return self.env._(
            "%(amount)s support credits would be taken back from %(customer)s, "
            "but only %(balance)s are left in the wallet: %(missing)s were already "
            "spent on tickets, and spent credits are never refunded. A Helpdesk "
            "manager can post a manual adjustment on the wallet (Helpdesk > "
            "Premium Support > Wallets) and then try again.",
            amount=amount,
            customer=self.partner_id.display_name,
            balance=self.balance,
            missing=amount - self.balance,
        )
