# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class SupportCreditRecognition(models.Model):
    """The recognition entry of a run: one per company, one line pair per
    customer and income account, posted on the first open date."""

    _inherit = "support.credit.recognition"

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
