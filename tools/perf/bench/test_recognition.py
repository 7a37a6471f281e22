# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deferred revenue: one recognition run of the company (the daily job's
work) for 1,000 customers who each used 10 credits of an invoiced pack, one
entry of 2,000 lines, against the same run when each used 2: the entry is the
same size, so what differs is reading and replaying longer ledgers, which
should cost no query more. Each run starts from the same state: the
customers' invoices are seeded once, then every run rolls back to them and
spends its credits anew (in SQL). A run takes seconds: few rounds."""

import pytest

from perf import seeding
from perf.bench.conftest import SIDES, Side

pytestmark = pytest.mark.benchmark(group="recognition")

SEEDED = "recognition_seeded"


def deferred_revenue(env):
    """Make the company's support credits deferred revenue (a liability
    account and a recognition journal of its own)."""
    company = env.company
    if company.support_deferred_account_id:
        return
    account = env["account.account"].create(
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
            "support_deferred_account_id": account.id,
            "support_recognition_journal_id": journal.id,
        }
    )


def invoiced_packs(env, customers, price=100.0):
    """``customers`` companies (no contact) that each bought a 10-credit pack
    at ``price``, confirmed and invoiced, in one batch. Returns them."""
    partners = env["res.partner"].create(
        [
            {"name": f"Invoiced customer {n}", "is_company": True}
            for n in range(customers)
        ]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": seeding.pack(env, 10).id,
                            "price_unit": price,
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    orders._create_invoices().action_post()
    env.flush_all()
    return partners


def use_credits(env, partners, used):
    """``used`` credits of each of ``partners``' wallets spent (one ledger
    line each, balances kept right), in SQL."""
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


@pytest.fixture(scope="module")
def sides(addon, sizes):
    env = addon
    deferred_revenue(env)
    partners = invoiced_packs(env, sizes["recognition_customers"])
    Recognition = env["support.credit.recognition"]
    # the other measures' wallets (ledgers of up to a million adjustment
    # lines) are recognised once, as the first run after the deferral was set
    # up would do; then each run sees only its own customers' credits
    Recognition._recognise_company(env.company)
    env.flush_all()
    env.cr.execute(f"SAVEPOINT {SEEDED}")

    def spend(used):
        def prepare(_n):
            env.cr.execute(f"ROLLBACK TO SAVEPOINT {SEEDED}")
            env.invalidate_all()
            use_credits(env, partners, used)

        return prepare

    def run(_n):
        Recognition._recognise_company(env.company)

    more, fewer = sizes["recognition_used"]
    return Side(env, run, spend(more)), Side(env, run, spend(fewer))


@pytest.mark.parametrize("side", SIDES)
def test_recognition(interleave, sides, sizes, side):
    interleave(*sides, rounds=sizes["recognition_rounds"], warmup=1)
