# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """A wallet belongs to a commercial partner. Merged into a contact of
        another company, a wallet owner's wallet would stay with that contact,
        where nobody sees or spends it: it follows the contact's commercial
        partner instead, with its ledger. When that commercial partner already
        has a wallet in the same company, the two cannot become one without
        losing a ledger: the merge is refused as a whole."""
        Wallet = self.env["support.credit.wallet"].sudo()
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if not Wallet.search_count([("partner_id", "in", partners.ids)], limit=1):
            return super()._merge(
                partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
            )
        try:
            with self.env.cr.savepoint():
                super()._merge(
                    partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
                )
                survivor = partners.exists()
                if len(survivor) == 1:
                    self._support_wallets_follow(survivor)
        except UserError:
            self.env.invalidate_all()
            raise

    def _support_wallets_follow(self, partner):
        """Give the wallets that ``partner`` owns after a merge to its
        commercial partner, with their ledger lines."""
        owner = partner.commercial_partner_id
        if owner == partner:
            return
        Wallet = self.env["support.credit.wallet"].sudo()
        wallets = Wallet.search([("partner_id", "=", partner.id)])
        taken = Wallet.search(
            [
                ("partner_id", "=", owner.id),
                ("company_id", "in", wallets.company_id.ids),
            ]
        )
        if taken:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact of %(owner)s, which already has a "
                    "support credit wallet: the wallet of the merged contacts "
                    "would follow it, and one of the two ledgers would be lost. "
                    "Move the credits with manual adjustments first, or keep "
                    "these contacts apart.",
                    contact=partner.display_name,
                    owner=owner.display_name,
                )
            )
        self.env.flush_all()
        # the ledger refuses any ORM write; a merge rewrites its customer in
        # SQL, as the merge itself does (its trigger lets that column change)
        self.env.cr.execute(
            "UPDATE support_credit_line SET partner_id = %s WHERE wallet_id = ANY(%s)",
            [owner.id, wallets.ids],
        )
        wallets.write({"partner_id": owner.id})
        self.env["support.credit.line"].invalidate_model(["partner_id"])

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
