# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest plugin of tools/test (never loaded by Odoo itself).

No test of this addon is ever meant to be skipped: Odoo skips browser tours
when Chromium or websocket-client is missing and pytest-odoo skips HttpCase
without --odoo-http, and a skipped tour would count as green. Every skip is
turned into a failure that says why."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"test was skipped, which this suite forbids: {reason}"
