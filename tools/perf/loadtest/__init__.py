# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tools/loadtest: a real multi-worker Odoo server driven over HTTP by locust.

    python -m perf.loadtest drive|check|hash|report ...   (see __main__.py)

    plan.py                       what the seeding step puts in the database
    race.py, spread.py, mail.py   one scenario each: its locust users
    runner.py                     runs a scenario's users, writes the results
    checks.py                     what must hold after a scenario (Odoo python)
    report.py                     the results table

The sizes below are written into the plan by the seeding step; every later
step reads them from there."""

SIZES = {
    "full": {
        "race_tickets": 50,
        "race_funds": 20,
        "spread_wallets": 50,
        "spread_per_wallet": 4,
        "spread_clients": 16,
        "mail_messages": 500,
        "mail_senders": 8,
        "mail_invalid": 50,
        "mail_duplicate_rate": 0.05,
    },
    "quick": {
        "race_tickets": 10,
        "race_funds": 4,
        "spread_wallets": 12,
        "spread_per_wallet": 4,
        "spread_clients": 4,
        "mail_messages": 60,
        "mail_senders": 4,
        "mail_invalid": 10,
        "mail_duplicate_rate": 0.1,
    },
}
SCENARIOS = ("race", "spread", "mail")


def title(scenario, sizes):
    """What the scenario does, in the words of the results table."""
    return {
        "race": f"{sizes['race_tickets']} acceptances at once, one wallet funded "
        f"for {sizes['race_funds']}",
        "spread": f"{sizes['spread_wallets'] * sizes['spread_per_wallet']} "
        f"acceptances, {sizes['spread_wallets']} wallets, "
        f"{sizes['spread_clients']} clients",
        "mail": f"{sizes['mail_messages']} emails, {sizes['mail_senders']} senders, "
        f"{sizes['mail_duplicate_rate']:.0%} delivered twice".replace("%", " %"),
    }[scenario]
