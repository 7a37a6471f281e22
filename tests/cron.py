# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Running a scheduled action in a test as Odoo's scheduler runs it."""

REMINDER_CRON = "helpdesk_premium_support.ir_cron_remind_pending_costs"


def run_cron(case, xmlid=REMINDER_CRON):
    """Run the scheduled action ``xmlid`` the way the scheduler does: in a
    transaction of its own that commits its progress, called again while it
    reports work left. Its cursors are the test's (registry test mode), so the
    test's data is seen and everything is rolled back with the test."""
    cron = case.env.ref(xmlid)
    with case.enter_registry_test_mode():
        cron.method_direct_trigger()
