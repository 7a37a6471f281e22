# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrading the addon keeps every ledger line identical, from the last
version before this one (its migrations run).

An upgrade cannot run inside a test transaction: it reloads the registry and
commits. So the ledger lines are committed through a real cursor, hashed,
the addon is upgraded the way an administrator does it (a separate
``odoo -u helpdesk_premium_support --stop-after-init`` on the same
database), and the lines are hashed again."""

import subprocess
import sys

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import config

ADDON = "helpdesk_premium_support"
# every column of every line, in id order, but the write bookkeeping columns
LEDGER_DIGEST = """
    SELECT COUNT(*),
           md5(COALESCE(string_agg(
               (to_jsonb(l) - 'write_date' - 'write_uid')::text, E'\\n'
               ORDER BY l.id), ''))
      FROM support_credit_line l
"""
WALLET_DIGEST = """
    SELECT md5(COALESCE(string_agg(id || ':' || partner_id || ':' || balance, ','
                                   ORDER BY id), ''))
      FROM support_credit_wallet
"""


@tagged("post_install", "-at_install", "upgrade")
class TestUpgradeKeepsLedger(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _digest(self):
        with self.registry.cursor() as cr:
            cr.execute(LEDGER_DIGEST)
            count, lines = cr.fetchone()
            cr.execute(WALLET_DIGEST)
            return count, lines, cr.fetchone()[0]

    def _commit_ledger(self):
        """A customer with a purchase, a spending, an adjustment and a
        reversal, committed."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            customer = env["res.partner"].create(
                {"name": "Upgrade Keepers Ltd", "is_company": True}
            )
            self.addCleanup(self._delete, customer.id)
            pack = env.ref(f"{ADDON}.product_premium_support_10")
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [(0, 0, {"product_id": pack.product_variant_id.id})],
                }
            )
            order.action_confirm()
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Upgrade me",
                    "description": "<p>upgrade</p>",
                    "partner_id": customer.id,
                }
            )
            wallet = env["support.credit.wallet"]._get_wallets(customer, env.company)
            wallet._spend(3, ticket)
            wallet._post(2, "adjustment", "Goodwill")
            wallet._post(-1, "reversal", "Correction")
            return customer.id

    def _delete(self, customer_id):
        # Committed test data only: the ledger refuses deletion, through the ORM
        # and in the database (a trigger that replica mode turns off).
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SET LOCAL session_replication_role = replica;
                DELETE FROM support_credit_line WHERE partner_id = %(p)s;
                DELETE FROM support_credit_wallet WHERE partner_id = %(p)s;
                """,
                {"p": customer_id},
            )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["helpdesk.ticket"].search([("partner_id", "=", customer_id)]).unlink()
            orders = env["sale.order"].search([("partner_id", "=", customer_id)])
            orders._action_cancel()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["sale.order"].search([("partner_id", "=", customer_id)]).unlink()
        with self.registry.cursor() as cr:
            self._env(cr)["res.partner"].browse(customer_id).unlink()

    def _upgrade(self):
        addons_path = config["addons_path"]
        if not isinstance(addons_path, str):
            addons_path = ",".join(addons_path)
        command = [sys.executable, "-m", "odoo"]
        if config["config"]:
            command += ["-c", config["config"]]
        command += [
            f"--addons-path={addons_path}",
            "-d",
            get_db_name(),
            "-u",
            ADDON,
            "--stop-after-init",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        for option in ("db_host", "db_port", "db_user"):
            if config[option]:
                command.append(f"--{option}={config[option]}")
        return subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False
        )

    def _follow_upgrade(self):
        """The upgrade signalled a new registry to the other processes. It
        loaded the same code as this one: keep the models loaded here, drop
        their caches and take the new signaling sequences, instead of
        reloading the registry in the middle of a test run."""
        with self.registry.cursor() as cr:
            sequences = self.registry.get_sequences(cr)
        self.registry.registry_sequence, self.registry.cache_sequences = sequences
        self.registry.clear_all_caches()

    def _module_write_date(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT write_date FROM ir_module_module WHERE name = %s", [ADDON]
            )
            return cr.fetchone()[0]

    def _as_version(self, version, customer_id):
        """Record ``version`` as the installed one, so that the upgrade runs
        the migrations of the versions after it; the customer's ticket has a
        first response counted by that version."""
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE ir_module_module SET latest_version = %s WHERE name = %s",
                [version, ADDON],
            )
            cr.execute(
                """
                UPDATE helpdesk_ticket
                   SET first_response_date = now() at time zone 'UTC',
                       first_response_hours = 1.5,
                       first_response_counted = NULL
                 WHERE partner_id = %s
                """,
                [customer_id],
            )

    def _ticket_counted(self, customer_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT first_response_counted, first_response_hours"
                " FROM helpdesk_ticket WHERE partner_id = %s",
                [customer_id],
            )
            return cr.fetchall()

    def test_upgrade_keeps_every_ledger_line(self):
        customer_id = self._commit_ledger()
        self._as_version("19.0.1.1.0", customer_id)
        before = self._digest()
        self.assertGreaterEqual(before[0], 4)
        module_date = self._module_write_date()
        upgrade = self._upgrade()
        self._follow_upgrade()
        self.assertEqual(
            upgrade.returncode, 0, f"the upgrade failed:\n{upgrade.stderr[-3000:]}"
        )
        self.assertNotIn("Traceback", upgrade.stderr)
        self.assertGreater(
            self._module_write_date(), module_date, "the addon was not upgraded"
        )
        self.assertEqual(self._digest(), before, "the upgrade changed the ledger")
        # the migrations of 19.0.1.2.0 ran: a response counted before stays
        self.assertEqual(self._ticket_counted(customer_id), [(True, 1.5)])
