# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Support credits as deferred revenue: the company's configuration.

    With a deferred account set, invoiced credit packs are a liability until
    their credits are used, and the recognition journal receives the entries
    that move the price of the used credits to income. Without it, revenue is
    recognised at invoice, and nothing else of this concern runs."""

    _inherit = "res.company"

    support_deferred_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Deferred support revenue account",
        check_company=True,
        domain="[('account_type', '=', 'liability_current')]",
        help="Set: invoiced credit packs post to this current-liability "
        "account, and each credit used moves its price to the pack's income "
        "account. Empty: revenue at invoice.",
    )
    support_recognition_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Support revenue recognition journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal of the entries that recognise the revenue "
        "of used support credits.",
    )

    @api.constrains("support_deferred_account_id", "support_recognition_journal_id")
    def _check_support_deferred_revenue(self):
        for company in self:
            problem = company._get_support_deferred_problem()
            if problem:
                raise ValidationError(problem)

    def _get_support_deferred_problem(self):
        """What is wrong with the company's deferred revenue configuration, as
        a message for the accountant, or None. Checked when it is saved and
        again before anything is posted with it."""
        self.ensure_one()
        account = self.support_deferred_account_id
        journal = self.support_recognition_journal_id
        if not account:
            if journal:
                return self.env._(
                    "%(company)s: a support revenue recognition journal is set "
                    "without a deferred support revenue account. Set the account "
                    "too, or clear the journal.",
                    company=self.name,
                )
            return None
        if account.account_type != "liability_current":
            return self.env._(
                "%(company)s: the deferred support revenue account %(account)s "
                "is of type %(type)s; it must be a current liability.",
                company=self.name,
                account=account.display_name,
                type=dict(
                    account._fields["account_type"]._description_selection(self.env)
                ).get(account.account_type),
            )
        if self.root_id not in account.company_ids.root_id:
            return self.env._(
                "%(company)s: the deferred support revenue account %(account)s "
                "belongs to another company.",
                company=self.name,
                account=account.display_name,
            )
        if not journal:
            return self.env._(
                "%(company)s: support credits are deferred revenue, but no "
                "journal is set for the recognition entries.",
                company=self.name,
            )
        if journal.type != "general" or journal.company_id.root_id != self.root_id:
            return self.env._(
                "%(company)s: the support revenue recognition journal "
                "%(journal)s must be a miscellaneous journal of the company.",
                company=self.name,
                journal=journal.display_name,
            )
        return None
