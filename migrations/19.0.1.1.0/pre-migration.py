# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The intake fields and filter moved into the addon's own ticket views: the
views that added them are removed before the update, so that no stale
inherited view points to fields it no longer owns."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM ir_ui_view WHERE id IN (
            SELECT res_id FROM ir_model_data
             WHERE module = 'helpdesk_premium_support' AND model = 'ir.ui.view'
               AND name IN ('ticket_view_form_intake',
                            'helpdesk_ticket_view_search_intake'))
        """
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'helpdesk_premium_support' AND model = 'ir.ui.view'
           AND name IN ('ticket_view_form_intake', 'helpdesk_ticket_view_search_intake')
        """
    )
