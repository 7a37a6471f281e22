# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Balance read: a contact's ``support_credit_balance`` with its company's
ledger at each size (10 to 1,000,000 lines), against reading a plain stored
field of the same contact. The report sets the largest ledger against the
smallest: the work must not grow."""

import json
from pathlib import Path

import pytest

from perf.bench.conftest import SIDES, Side

pytestmark = pytest.mark.benchmark(group="balance")


def pytest_generate_tests(metafunc):
    plan = Path(metafunc.config.getoption("--bench-plan"))
    sizes = json.loads(plan.read_text())["sizes"]["ledger_sizes"]
    metafunc.parametrize("size", sizes)


@pytest.fixture
def sides(addon, plan, size):
    company = addon["res.partner"].browse(plan["ledgers"][str(size)])
    contact = company.child_ids[:1]
    return (
        Side(addon, lambda n: contact.support_credit_balance),
        Side(addon, lambda n: contact.email),
    )


@pytest.mark.parametrize("side", SIDES)
def test_balance(interleave, sides, side, size):
    interleave(*sides)
