# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tools/bench: each measure of the addon set against the nearest operation
of plain Odoo or plain helpdesk_mgmt, measured in the same run.

    plan.py           what the seeding step puts in the databases
    conftest.py       the databases, and the interleaving of a measure with
                      its baseline on pytest-benchmark
    test_*.py         the in-process measures, one module each (Odoo python)
    http_measures.py  portal pages and acceptance throughput over HTTP (venv)
    report.py         docs/benchmarks.md and the table, from the JSON files
    chart.py          docs/benchmarks.png (venv, matplotlib)

The sizes below are written into the plan by the seeding step; every later
step reads them from there."""

SIZES = {
    "full": {
        "ledger_sizes": [10, 100, 1_000, 10_000, 100_000, 1_000_000],
        "mail_senders": 10,
        "throughput_clients": 8,
        "throughput_per_client": 20,
        "rounds": 25,
        "warmup": 3,
        "page_warmup": 8,
        "page_reps": 40,
        "pending": 10_000,
        "due": 10,
        "cron_rounds": 7,
        "recognition_customers": 1_000,
        "recognition_used": [10, 2],
        "recognition_rounds": 3,
    },
    "quick": {
        "ledger_sizes": [10, 100, 1_000],
        "mail_senders": 10,
        "throughput_clients": 2,
        "throughput_per_client": 3,
        "rounds": 5,
        "warmup": 1,
        "page_warmup": 5,
        "page_reps": 5,
        "pending": 500,
        "due": 10,
        "cron_rounds": 3,
        "recognition_customers": 100,
        "recognition_used": [10, 2],
        "recognition_rounds": 1,
    },
}
