# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    support_credits = fields.Integer(
        help="Premium support credits granted per unit sold. "
        "A product with credits is a credit pack.",
    )

    _support_credits_positive = models.Constraint(
        "CHECK(support_credits >= 0)",
        "The support credits of a product cannot be negative.",
    )
