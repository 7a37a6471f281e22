# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    support_credit_low_threshold = fields.Integer(
        related="company_id.support_credit_low_threshold",
        readonly=False,
    )
    support_cost_reminder_days = fields.Integer(
        related="company_id.support_cost_reminder_days", readonly=False
    )
    support_cost_expiry_days = fields.Integer(
        related="company_id.support_cost_expiry_days", readonly=False
    )
    support_refused_mail_max_kb = fields.Integer(
        related="company_id.support_refused_mail_max_kb", readonly=False
    )
    support_refused_mail_retention_days = fields.Integer(
        related="company_id.support_refused_mail_retention_days", readonly=False
    )
