# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

INVOICE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        """Posting, resetting or cancelling an invoice or a credit note changes
        what the pack lines it invoices or refunds entitle the customer to:
        the wallet follows (see ``sale.order.line._sync_support_credits``)."""
        res = super().write(vals)
        if "state" in vals:
            for move in self.filtered(lambda m: m.move_type in INVOICE_TYPES):
                sale_lines = move.sudo().invoice_line_ids.sale_line_ids
                sale_lines._sync_support_credits(move=move)
        return res

    def _post(self, soft=True):
        """Invoices and credit notes of credit packs whose company defers
        support revenue are checked before posting (configuration, currency
        rate): a wrong entry is never posted. Once posted, credits used before
        their invoice are recognised by the next run of the recognition,
        triggered at once."""
        deferred = self.line_ids._filter_support_deferred()
        for move in deferred.move_id:
            move._check_support_deferred_posting()
        posted = super()._post(soft=soft)
        if deferred.move_id & posted:
            cron = self.env.ref(
                "helpdesk_premium_support.ir_cron_support_credit_recognition",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger()
        return posted

    def _check_support_deferred_posting(self):
        """Refuse to post deferred pack lines with a broken configuration, or
        in a foreign currency that has no rate at the invoice's date (Odoo
        would silently convert at 1.0)."""
        self.ensure_one()
        company = self.company_id
        problem = company._get_support_deferred_problem()
        if problem:
            raise UserError(problem)
        if self.currency_id == company.currency_id:
            return
        date = self.invoice_date or self.date or fields.Date.context_today(self)
        has_rate = (
            self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [
                    ("currency_id", "=", self.currency_id.id),
                    ("company_id", "in", (False, company.root_id.id)),
                    ("name", "<=", date),
                ],
                limit=1,
            )
        )
        if not has_rate:
            raise UserError(
                self.env._(
                    "%(move)s sells support credits in %(currency)s, which has no "
                    "exchange rate on or before %(date)s: their deferred revenue "
                    "cannot be valued. Add a rate for %(currency)s, then post "
                    "again.",
                    move=self.display_name,
                    currency=self.currency_id.name,
                    date=date,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        lines = (
            self.env["support.credit.line"]
            .sudo()
            .search_count([("move_id", "in", self.ids)], limit=1)
        )
        if lines:
            raise UserError(
                self.env._(
                    "This invoice or credit note moved support credits: deleting "
                    "it would destroy their ledger lines."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_recognition(self):
        recognised = (
            self.env["support.credit.recognition"]
            .sudo()
            .search_count([("move_id", "in", self.ids)], limit=1)
        )
        if recognised:
            raise UserError(
                self.env._(
                    "This entry recognised the revenue of used support credits, "
                    "which are recognised once only: it cannot be deleted. "
                    "Reverse it if it is wrong; the Unearned support credits "
                    "report then shows the difference."
                )
            )
