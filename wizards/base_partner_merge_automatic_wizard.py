# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Partner merge rewrites foreign keys with raw SQL and deletes the rows
        a unique constraint blocks: when two of the merged partners own a
        wallet in the same company, one wallet and its ledger would be lost.
        Refuse that; a single wallet simply follows the merge."""
        wallets = (
            self.env["support.credit.wallet"]
            .sudo()
            .search([("partner_id", "in", (src_partners | dst_partner).ids)])
        )
        companies = wallets.company_id
        if len(wallets) > len(companies):
            raise UserError(
                self.env._(
                    "%(partners)s each own a support credit wallet: merging them "
                    "would lose a credit ledger. Move the credits to one wallet "
                    "with manual adjustments and merge the others' contacts "
                    "elsewhere, or keep these partners apart.",
                    partners=", ".join(wallets.partner_id.mapped("display_name")),
                )
            )
        return super()._update_foreign_keys(src_partners, dst_partner)
