# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest plugin of tools/test (never loaded by Odoo itself).

Odoo's own test runner fails a test during which the server logged an ERROR
(a traceback in a controller of an HTTP test, a failed cron, ...); pytest-odoo
does not, so such a test would pass. Every test phase that logs an ERROR or
worse is failed here with the messages. Errors a test expects are muted the
usual way (``mute_logger``, ``assertLogs``), which stops them on their
logger before they reach the root one watched here."""

import logging

import pytest


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.name}: {record.getMessage()}")


def _watch(phase):
    @pytest.hookimpl(wrapper=True)
    def hook(item):
        collector = _ErrorCollector()
        root = logging.getLogger()
        root.addHandler(collector)
        try:
            result = yield
        finally:
            root.removeHandler(collector)
        if collector.messages:
            pytest.fail(
                f"the server logged errors during {phase}:\n"
                + "\n".join(collector.messages),
                pytrace=False,
            )
        return result

    return hook


pytest_runtest_setup = _watch("setup")
pytest_runtest_call = _watch("the test")
pytest_runtest_teardown = _watch("teardown")
