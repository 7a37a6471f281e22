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


@pytest.fixture(scope="module")
def sides(addon, sizes):
    env = addon
    seeding.deferred_revenue(env)
    partners = seeding.invoiced_packs(env, sizes["recognition_customers"])
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
            seeding.use_credits(env, partners, used)

        return prepare

    def run(_n):
        Recognition._recognise_company(env.company)

    more, fewer = sizes["recognition_used"]
    return Side(env, run, spend(more)), Side(env, run, spend(fewer))


@pytest.mark.parametrize("side", SIDES)
def test_recognition(interleave, sides, sizes, side):
    interleave(*sides, rounds=sizes["recognition_rounds"], warmup=1)
