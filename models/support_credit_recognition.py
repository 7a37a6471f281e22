# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2.errors

from odoo import api, fields, models
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
