# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Order confirmation: an order of 10 credit-pack lines (5 of the 1-credit
pack, 5 of the 10-credit pack), against the same order whose two products
are copies of the packs that grant no credits: what is left is the grant."""

import pytest

from perf import seeding
from perf.bench.conftest import SIDES, Side

pytestmark = pytest.mark.benchmark(group="order")


@pytest.fixture(scope="module")
def sides(addon, sizes):
    env = addon
    agent = env["res.users"].search([("login", "=", "bench_agent")])
    staff = env(user=agent.id)
    partner = env["res.partner"].search([("name", "=", "fewtickets0 Ltd")])
    packs = [seeding.pack(env, 1), seeding.pack(env, 10)]
    plain = [
        p.product_tmpl_id.copy({"support_credits": 0}).product_variant_id for p in packs
    ]
    calls = 2 * (sizes["rounds"] + sizes["warmup"])

    def orders(products):
        lines = [(0, 0, {"product_id": p.id}) for p in products for _n in range(5)]
        return staff["sale.order"].create(
            [{"partner_id": partner.id, "order_line": lines} for _n in range(calls)]
        )

    with_packs, without = orders(packs), orders(plain)
    return (
        Side(staff, lambda n: with_packs[n].action_confirm()),
        Side(staff, lambda n: without[n].action_confirm()),
    )


@pytest.mark.parametrize("side", SIDES)
def test_order(interleave, sides, side):
    interleave(*sides)
