# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What tools/bench and tools/loadtest run (never loaded by Odoo itself).

    seeding.py   the builders of their data, and the command that writes each
                 tool's database and plan (Odoo python)
    emails.py    the one builder of raw emails
    client.py    a portal browser (login with CSRF, accept) and the mailgate path
    launcher.py  the script that starts a multi-worker Odoo server
    odoo_env.py  an Odoo environment on a database, outside any server
    bench/       in-process measures on pytest-benchmark, HTTP measures, report
    loadtest/    the locust scenarios, their checks and the results table

The steps that import Odoo run in the Odoo python; those that import locust,
requests or matplotlib run in the virtual environment the scripts make."""
