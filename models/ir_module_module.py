# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

ADDON = "helpdesk_premium_support"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def button_immediate_uninstall(self):
        # the Apps screen's Uninstall, and `odoo-bin module uninstall`: refused
        # before anything is marked, committed or reloaded
        self._check_support_ledger_uninstall()
        return super().button_immediate_uninstall()

    def button_uninstall(self):
        self._check_support_ledger_uninstall()
        return super().button_uninstall()

    def module_uninstall(self):
        # the last line of defence, while the registry reloads
        self._check_support_ledger_uninstall()
        return super().module_uninstall()

    def _check_support_ledger_uninstall(self):
        """Refuse to uninstall this addon, or a module it depends on (which
        would uninstall it too), while its credit ledger holds lines."""
        names = set(self.mapped("name")) | set(
            self.downstream_dependencies().mapped("name")
        )
        if ADDON not in names:
            return
        self.env.cr.execute("SELECT 1 FROM support_credit_line LIMIT 1")
        if self.env.cr.fetchone():
            raise UserError(
                self.env._(
                    "Premium Support cannot be uninstalled: its credit ledger "
                    "holds lines that uninstalling would destroy. Export the "
                    "ledger and archive it elsewhere first."
                )
            )
