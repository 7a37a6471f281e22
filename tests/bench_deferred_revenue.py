# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cost of one recognition run, for a benchmark driver (not a test).

``measure_recognition(env)`` seeds ``customers`` customers who each bought and
were invoiced a 10-credit pack and used ``used`` credits (ledger lines written
in SQL, balances kept right), then times one run of the recognition of the
company and counts its queries. It writes in the transaction of ``env`` and
leaves committing or rolling back to the caller."""

import time
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor


def seed_used_credits(env, customers=1000, used=10, price=100.0):
    """``customers`` customers with an invoiced 10-credit pack each, ``used``
    of whose credits were used; the company's credits deferred."""
    company = env.company
    if not company.support_deferred_account_id:
        deferred = env["account.account"].create(
            {
                "name": "Deferred support revenue (bench)",
                "code": "BENCHD",
                "account_type": "liability_current",
            }
        )
        journal = env["account.journal"].create(
            {"name": "Support recognition (bench)", "code": "BREC", "type": "general"}
        )
        company.write(
            {
                "support_deferred_account_id": deferred.id,
                "support_recognition_journal_id": journal.id,
            }
        )
    pack = env.ref("helpdesk_premium_support.product_premium_support_10")
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {n}", "is_company": True} for n in range(customers)]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": pack.product_variant_id.id,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    orders._create_invoices().action_post()
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO support_credit_line
            (wallet_id, partner_id, company_id, date, user_id, kind, amount,
             balance_after, reason)
        SELECT w.id, w.partner_id, w.company_id, now() at time zone 'UTC',
               %(uid)s, 'spend', -1, w.balance - n, 'bench'
          FROM support_credit_wallet w, generate_series(1, %(used)s) n
         WHERE w.partner_id = ANY(%(partners)s)
      ORDER BY w.id, n
        """,
        {"uid": env.uid, "used": used, "partners": partners.ids},
    )
    env.cr.execute(
        """
        UPDATE support_credit_wallet
           SET balance = balance - %(used)s, line_count = line_count + %(used)s
         WHERE partner_id = ANY(%(partners)s)
        """,
        {"used": used, "partners": partners.ids},
    )
    env.invalidate_all()
    return partners


def measure_recognition(env, customers=1000, used=10):
    """Seed, then time one recognition run of the company: returns seconds,
    queries, entries and entry lines."""
    seed_used_credits(env, customers=customers, used=used)
    queries = [0]
    execute = Cursor.execute

    def counting(cr, *args, **kwargs):
        queries[0] += 1
        return execute(cr, *args, **kwargs)

    with patch.object(Cursor, "execute", counting):
        start = time.perf_counter()
        move = env["support.credit.recognition"]._recognise_company(env.company)
        env.flush_all()
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "queries": queries[0],
        "entries": len(move),
        "lines": len(move.line_ids),
        "credits": customers * used,
    }
