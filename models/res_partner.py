# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    support_credit_balance = fields.Integer(
        compute="_compute_support_credit_balance",
        string="Support credits",
        help="Balance of the support credit wallet of this contact's company "
        "in the current company.",
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_support_credit_balance(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        balances = dict(
            self.env["support.credit.wallet"]
            .sudo()
            ._read_group(
                [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)],
                ["partner_id"],
                ["balance:sum"],
            )
        )
        for partner in self:
            partner.support_credit_balance = balances.get(
                partner.commercial_partner_id, 0
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_wallet(self):
        wallets = (
            self.env["support.credit.wallet"]
            .sudo()
            .search_count([("partner_id", "in", self.ids)], limit=1)
        )
        if wallets:
            raise UserError(
                self.env._(
                    "This customer has a support credit wallet: deleting it would "
                    "destroy its credit ledger. Archive the contact instead."
                )
            )

    def _get_support_credit_portal_values(self, page, step, pager):
        """Balance and one page of the ledger of this contact's company in the
        current company, for the portal. Reads through sudo, scoped to the
        contact's own commercial partner."""
        self.ensure_one()
        wallet = (
            self.env["support.credit.wallet"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                ],
                limit=1,
            )
        )
        page_pager = pager(
            url="/my/credits",
            total=wallet.line_count,
            page=page,
            step=step,
        )
        lines = (
            self.env["support.credit.line"]
            .sudo()
            .search(
                [("wallet_id", "=", wallet.id)],
                order="date desc, id desc",
                limit=step,
                offset=page_pager["offset"],
            )
        )
        return {
            "support_credit_balance": wallet.balance,
            "support_credit_lines": lines,
            "pager": page_pager,
            "buy_credits_url": self.env["support.credit.wallet"]._get_buy_credits_url(),
        }

    def action_open_support_credit_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_premium_support.support_credit_line_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_kind": 0}
        return action
