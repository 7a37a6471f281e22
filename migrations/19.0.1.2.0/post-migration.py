# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""First responses counted at the reply (before 19.0.1.2.0) stay counted;
tickets accepted before the premium response existed get their deadline and
their first response from their chatter."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE helpdesk_ticket SET first_response_counted = TRUE
         WHERE first_response_date IS NOT NULL
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["helpdesk.ticket"]._backfill_premium_responses()
