# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.res_partner import SUPPORT_STAFF_GROUPS


class SupportCreditUnearnedReport(models.TransientModel):
    """Unearned support credits at a date: per customer, the credits bought
    and not used yet and their value, with the total checked against the
    deferred support revenue account's balance at that date. The credits are
    a customer's balance: only helpdesk and sales staff see them."""

    _name = "support.credit.unearned.report"
    _description = "Unearned Support Credits"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date = fields.Date(
        string="At date", required=True, default=fields.Date.context_today
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    account_id = fields.Many2one(
        related="company_id.support_deferred_account_id",
        string="Deferred account",
    )
    line_ids = fields.One2many(
        comodel_name="support.credit.unearned.report.line",
        inverse_name="report_id",
        string="Customers",
        readonly=True,
    )
    total_credits = fields.Integer(
        string="Credits not used", readonly=True, groups=SUPPORT_STAFF_GROUPS
    )
    total_value = fields.Monetary(string="Unearned value", readonly=True)
    account_balance = fields.Monetary(
        string="Deferred account balance",
        readonly=True,
        help="Balance of the deferred support revenue account at the date, "
        "as a liability (credit balance).",
    )
    pending_value = fields.Monetary(
        string="Used, recognition not posted",
        readonly=True,
        help="Price of credits used by the date whose recognition entry is not "
        "posted by then: the next recognition run moves it to income.",
    )
    difference = fields.Monetary(
        readonly=True,
        help="Deferred account balance minus the unearned value: zero when "
        "the books agree with the credits.",
    )

    @api.depends("date")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "Unearned support credits at %(date)s", date=report.date
            )

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._compute_report()
        return reports

    def action_refresh(self):
        self.ensure_one()
        self._compute_report()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _compute_report(self):
        Recognition = self.env["support.credit.recognition"]
        for report in self:
            result = Recognition._get_unearned(report.company_id, report.date)
            partners = result["partners"]
            report.line_ids.unlink()
            # the credit columns are written whoever asks; reading them keeps
            # the fields' groups
            report.sudo().write(
                {
                    "line_ids": [
                        fields.Command.create(
                            {
                                "partner_id": partner_id,
                                "credits": values["credits"],
                                "value": values["value"],
                            }
                        )
                        for partner_id, values in partners.items()
                    ],
                    "total_credits": sum(v["credits"] for v in partners.values()),
                    "total_value": result["total"],
                    "account_balance": result["balance"],
                    "pending_value": result["pending"],
                    "difference": result["difference"],
                }
            )
