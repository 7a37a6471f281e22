# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    support_credit_low_threshold = fields.Integer(
        string="Low credit balance threshold",
        default=2,
        help="When a spending brings a wallet below this balance, the customer's "
        "contacts are emailed once with a link to buy more credits.",
    )
