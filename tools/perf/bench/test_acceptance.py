# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Acceptance: a customer accepts a cost (credits taken, ticket premium),
against the same customer posting in a ticket's chatter, what
helpdesk_mgmt's portal does for any reply."""

import pytest

from perf import seeding
from perf.bench.conftest import SIDES, Side

pytestmark = pytest.mark.benchmark(group="acceptance")


@pytest.fixture(scope="module")
def sides(addon, sizes):
    env = addon
    agent = env["res.users"].search([("login", "=", "bench_agent")])
    team = env["helpdesk.ticket.team"].search([("alias_name", "=", "bench")])
    company, users = seeding.customers(env, "acceptor")
    calls = 2 * (sizes["rounds"] + sizes["warmup"])
    seeding.confirm_order(env, agent, company, seeding.pack(env, 10), -(-calls // 10))
    partners = [users.partner_id] * calls
    to_accept = seeding.create_requests(env, agent, team, partners, "Accept", True)
    to_answer = seeding.create_requests(env, agent, team, partners, "Answer")
    customer = env(user=users.id)

    def accept(n):
        ticket = to_accept[n].with_env(customer)
        ticket.action_approve_cost(cost_version=ticket.sudo().cost_version)

    def post(n):
        to_answer[n].with_env(customer).sudo().message_post(
            body="Thanks, please go ahead.",
            author_id=users.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    return Side(customer, accept), Side(customer, post)


@pytest.mark.parametrize("side", SIDES)
def test_acceptance(interleave, sides, side):
    interleave(*sides)
