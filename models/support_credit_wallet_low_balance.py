# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SupportCreditWallet(models.Model):
    """The customer's contacts told once when a spending takes the balance
    below the company's threshold."""

    _inherit = "support.credit.wallet"

    def _notify_low_balance(self, old_balance, new_balance):
        """Email the customer's contacts once when a spending crosses the
        company's low-balance threshold."""
        self.ensure_one()
        threshold = self.company_id.support_credit_low_threshold
        if not (new_balance < threshold <= old_balance):
            return
        template = self.env.ref(
            "helpdesk_premium_support.mail_template_low_credit_balance",
            raise_if_not_found=False,
        )
        recipients = self._get_low_balance_recipients()
        if template and recipients:
            template.sudo().send_mail(
                self.id,
                email_values={"recipient_ids": [(6, 0, recipients.ids)]},
            )

    def _get_low_balance_recipients(self):
        """Contacts of the wallet's company that receive the low-balance alert."""
        self.ensure_one()
        partner = self.partner_id
        contacts = partner | partner.child_ids.filtered(
            lambda p: p.type == "contact" and p.active
        )
        return contacts.filtered("email")
