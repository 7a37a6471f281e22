# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pack lines granted before 19.0.1.1.0 learn the wallet that received their
credits (from their first ledger line) and their credits per unit (the
product's value today, the best that is known), so that later changes of the
sale documents are posted where and as the grant was."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sale_order_line sol
           SET support_credit_wallet_id = first.wallet_id,
               support_credits_per_unit = pt.support_credits
          FROM (SELECT DISTINCT ON (sale_line_id) sale_line_id, wallet_id
                  FROM support_credit_line
                 WHERE sale_line_id IS NOT NULL
              ORDER BY sale_line_id, id) AS first,
               product_product pp
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE first.sale_line_id = sol.id
           AND pp.id = sol.product_id
           AND COALESCE(sol.support_credits_per_unit, 0) = 0
        """
    )
