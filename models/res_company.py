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
    support_cost_reminder_days = fields.Integer(
        string="Remind pending costs after (days)",
        default=3,
        help="The customer is reminded once of a cost still waiting for "
        "acceptance after this many days.",
    )
    support_cost_expiry_days = fields.Integer(
        string="Cancel pending costs after (days)",
        default=14,
        help="A cost still waiting for acceptance after this many days is "
        "cancelled and the request closed.",
    )
    support_refused_mail_max_kb = fields.Integer(
        string="Largest copy of a refused email kept (KB)",
        default=1024,
        help="The raw copy of an email a premium alias refused is cut to this "
        "size: its headers are always kept whole, its body is cut and marked "
        "as such. 0 keeps it whole.",
    )
    support_refused_mail_retention_days = fields.Integer(
        string="Keep refused emails for (days)",
        default=90,
        help="Refused and failed emails older than this are deleted, with "
        "their raw copies, by a daily scheduled action. 0 keeps them forever.",
    )

    _support_refused_mail_max_kb_positive = models.Constraint(
        "CHECK(support_refused_mail_max_kb >= 0)",
        "The largest copy of a refused email cannot be negative.",
    )
    _support_refused_mail_retention_days_positive = models.Constraint(
        "CHECK(support_refused_mail_retention_days >= 0)",
        "The retention of refused emails cannot be negative.",
    )

    def _get_refused_mail_max_bytes(self):
        """The size cap of a refused email's raw copy, in bytes (0: none)."""
        self.ensure_one()
        return max(self.support_refused_mail_max_kb, 0) * 1024
