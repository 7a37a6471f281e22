# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

ADDON = "helpdesk_premium_support"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def module_uninstall(self):
        if ADDON in self.mapped("name"):
            self.env.cr.execute("SELECT 1 FROM support_credit_line LIMIT 1")
            if self.env.cr.fetchone():
                raise UserError(
                    self.env._(
                        "Premium Support cannot be uninstalled: its credit ledger "
                        "holds lines that uninstalling would destroy. Export the "
                        "ledger and archive it elsewhere first."
                    )
                )
        return super().module_uninstall()
