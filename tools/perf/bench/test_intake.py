# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Email intake: one raw email to a premium team's alias, processed as
odoo-mailgate does it (the administrator), against the same email to a
plain helpdesk_mgmt team's alias in the baseline database."""

import pytest

from perf.bench.conftest import SIDES, Side
from perf.emails import message_id, raw_email

pytestmark = pytest.mark.benchmark(group="intake")


def intake(env, tag):
    """Each call delivers a new email from one of the seeded senders, in
    turn (to stay below Odoo's mail loop detection)."""
    senders = env["res.users"].search([("login", "=like", "mailer0-%")], order="id")
    admin = env(user=env.ref("base.user_admin").id)

    def deliver(n):
        sender = senders[n % len(senders)]
        raw = raw_email(
            sender.name,
            sender.email,
            "bench@bench.example",
            f"[{sender.login}] Request {n}",
            message_id(tag, n),
        )
        if not admin["mail.thread"].message_process(False, raw):
            raise RuntimeError("the email made no ticket")

    return Side(admin, deliver)


@pytest.fixture(scope="module")
def sides(addon, base):
    return intake(addon, "bench-ours"), intake(base, "bench-baseline")


@pytest.mark.parametrize("side", SIDES)
def test_intake(interleave, sides, side):
    interleave(*sides)
