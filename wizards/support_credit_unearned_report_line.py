# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.res_partner import SUPPORT_STAFF_GROUPS


class SupportCreditUnearnedReportLine(models.TransientModel):
    _name = "support.credit.unearned.report.line"
    _description = "Unearned Support Credits of a Customer"
    _order = "value desc, partner_id"

    report_id = fields.Many2one(
        comodel_name="support.credit.unearned.report",
        required=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="report_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    # a customer's unused credits are its balance: helpdesk and sales staff
    # only; accountants see the money, as their ledgers show it anyway
    credits = fields.Integer(readonly=True, groups=SUPPORT_STAFF_GROUPS)
    value = fields.Monetary(string="Unearned value", readonly=True)
