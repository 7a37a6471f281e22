# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SupportCreditAdjustWizard(models.TransientModel):
    _name = "support.credit.adjust.wizard"
    _description = "Support Credit Manual Adjustment"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    current_balance = fields.Integer(compute="_compute_current_balance")
    amount = fields.Integer(
        required=True,
        help="Credits to add (positive) or to take (negative).",
    )
    reason = fields.Char(required=True)

    @api.depends("partner_id", "company_id")
    def _compute_current_balance(self):
        for wizard in self:
            wizard.current_balance = wizard.partner_id.with_company(
                wizard.company_id
            ).support_credit_balance

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context.get("active_id"))
            values["partner_id"] = partner.commercial_partner_id.id
        return values

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_manager"):
            raise AccessError(
                self.env._("Only Helpdesk managers can adjust support credits.")
            )
        if not self.amount:
            raise UserError(self.env._("An adjustment moves at least one credit."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason of the adjustment."))
        wallet = (
            self.env["support.credit.wallet"]
            .sudo()
            ._get_wallets(self.partner_id, self.company_id)
        )
        if not wallet._post(self.amount, "adjustment", self.reason.strip()):
            raise UserError(
                self.env._(
                    "This adjustment would bring the wallet below zero: it holds "
                    "%(balance)s credits.",
                    balance=wallet.balance,
                )
            )
        return self.partner_id.action_open_support_credit_lines()
