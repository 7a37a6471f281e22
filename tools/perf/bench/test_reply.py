# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A staff reply: the agent's first public reply on a premium ticket (its
cost accepted, so the reply meets the premium response deadline), against
the same reply on a ticket of plain helpdesk_mgmt (baseline database)."""

import pytest

from perf import seeding
from perf.bench.conftest import SIDES, Side

pytestmark = pytest.mark.benchmark(group="reply")


def replies(env, calls, premium):
    """``calls`` tickets of one customer (with the addon: accepted premium
    ones) and the agent's reply to the n-th."""
    agent = env["res.users"].search([("login", "=", "bench_agent")])
    team = env["helpdesk.ticket.team"].search([("alias_name", "=", "bench")])
    company, users = seeding.customers(env, "replier")
    partners = [users.partner_id] * calls
    tickets = seeding.create_requests(env, agent, team, partners, "Reply", premium)
    if premium:
        packs = -(-calls // 10)
        seeding.confirm_order(env, agent, company, seeding.pack(env, 10), packs)
        customer = env(user=users.id)
        for ticket in tickets.with_env(customer):
            ticket.action_approve_cost(cost_version=ticket.sudo().cost_version)
    staff = env(user=agent.id)

    def reply(n):
        tickets[n].with_env(staff).message_post(
            body="We are looking at it now.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    return Side(staff, reply)


@pytest.fixture(scope="module")
def sides(addon, base, sizes):
    calls = 2 * (sizes["rounds"] + sizes["warmup"])
    return replies(addon, calls, True), replies(base, calls, False)


@pytest.mark.parametrize("side", SIDES)
def test_reply(interleave, sides, side):
    interleave(*sides)
