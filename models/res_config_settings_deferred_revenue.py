# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    support_deferred_account_id = fields.Many2one(
        related="company_id.support_deferred_account_id", readonly=False
    )
    support_recognition_journal_id = fields.Many2one(
        related="company_id.support_recognition_journal_id", readonly=False
    )
