# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


def check_wallet_invariants(env):
    """The ledger of every wallet sums to its balance, no balance is negative
    and every line's running balance is coherent. Returns the problems found."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT w.id, w.balance, COALESCE(SUM(l.amount), 0), w.line_count,
               COUNT(l.id)
          FROM support_credit_wallet w
     LEFT JOIN support_credit_line l ON l.wallet_id = w.id
      GROUP BY w.id, w.balance, w.line_count
        HAVING w.balance <> COALESCE(SUM(l.amount), 0) OR w.balance < 0
            OR w.line_count <> COUNT(l.id)
        """
    )
    problems = [
        f"wallet {wid}: balance {balance} and {line_count} lines, but the ledger "
        f"sums to {total} over {count} lines"
        for wid, balance, total, line_count, count in env.cr.fetchall()
    ]
    env.cr.execute(
        """
        SELECT id, wallet_id, balance_after,
               SUM(amount) OVER (PARTITION BY wallet_id ORDER BY id)
          FROM support_credit_line
        """
    )
    problems += [
        f"line {lid} of wallet {wid}: balance_after {after}, running sum {running}"
        for lid, wid, after, running in env.cr.fetchall()
        if after != running or after < 0
    ]
    return problems


def check_sale_reconciliation(env):
    """What each pack line put in the ledger equals what its sale documents
    entitle the customer to, in the wallet that received its grant (the
    managers' reconciliation list, run on the whole database). Returns the
    problems found."""
    env.flush_all()
    return [
        f"{problem['sale_line'].order_id.name} / "
        f"{problem['sale_line'].product_id.name}: entitled to "
        f"{problem['entitled']} credits, wallet {problem['wallet'].id} holds "
        f"{problem['posted']}"
        for problem in env["support.credit.wallet"]._get_sale_discrepancies()
    ]


def grow_ledger(env, wallet, pairs):
    """Append ``pairs`` × (+1, −1) old lines (a month ago) to ``wallet`` in SQL,
    keeping every running balance right."""
    env.cr.execute(
        """
        INSERT INTO support_credit_line
            (wallet_id, partner_id, company_id, date, user_id, kind, amount,
             balance_after, reason)
        SELECT w.id, w.partner_id, w.company_id,
               now() at time zone 'UTC' - interval '30 days',
               %(uid)s, 'adjustment',
               CASE WHEN n %% 2 = 0 THEN 1 ELSE -1 END,
               w.balance + CASE WHEN n %% 2 = 0 THEN 1 ELSE 0 END,
               'volume'
          FROM support_credit_wallet w, generate_series(0, %(n)s - 1) AS n
         WHERE w.id = %(wallet)s
      ORDER BY n
        """,
        {"uid": env.uid, "n": 2 * pairs, "wallet": wallet.id},
    )
    env.cr.execute(
        "UPDATE support_credit_wallet SET line_count = line_count + %s WHERE id = %s",
        [2 * pairs, wallet.id],
    )
    wallet.invalidate_recordset(["line_count"])


class PremiumSupportCase(BaseCommon):
    """Customers, staff and packs shared by the suite. After every test the
    wallet invariants are checked on the whole database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.pack_1 = cls.env.ref("helpdesk_premium_support.product_premium_support_1")
        cls.pack_10 = cls.env.ref("helpdesk_premium_support.product_premium_support_10")
        cls.pack_50 = cls.env.ref("helpdesk_premium_support.product_premium_support_50")
        cls.service = cls.env["product.product"].create(
            {"name": "Consulting hour", "type": "service", "list_price": 100}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Azure Widgets", "is_company": True, "email": "info@azure.test"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "email": "info@globex.test"}
        )
        portal = "base.group_portal"
        cls.alice = cls._user("alice", "Alice Azure", "alice@azure.test", portal)
        cls.bob = cls._user("bob", "Bob Azure", "bob@azure.test", portal)
        cls.mallory = cls._user(
            "mallory", "Mallory Globex", "mallory@globex.test", portal
        )
        (cls.alice | cls.bob).partner_id.parent_id = cls.customer
        cls.mallory.partner_id.parent_id = cls.other_customer
        cls.agent = cls._user(
            "agent",
            "Agent Smith",
            "agent@vendor.test",
            "helpdesk_mgmt.group_helpdesk_user",
        )
        cls.manager = cls._user(
            "hd_manager",
            "Helpdesk Manager",
            "manager@vendor.test",
            "helpdesk_mgmt.group_helpdesk_manager,sales_team.group_sale_manager",
        )
        cls.Wallet = cls.env["support.credit.wallet"]
        cls.Line = cls.env["support.credit.line"]

    @classmethod
    def _user(cls, login, name, email, groups):
        """A user whose password is its login."""
        return new_test_user(
            cls.env, login=login, groups=groups, name=name, email=email
        )

    def tearDown(self):
        problems = check_wallet_invariants(self.env) + check_sale_reconciliation(
            self.env
        )
        super().tearDown()
        self.assertFalse(problems, "wallet invariants broken:\n" + "\n".join(problems))

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        """As Odoo's ``assertRaises``, in a savepoint rolled back on the error
        (what the refused operation wrote before raising is undone, as the
        request's rollback would), and the message must match ``regex``."""
        if args or kwargs:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._assert_raises_regex(exception, regex)

    @contextmanager
    def _assert_raises_regex(self, exception, regex):
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), regex)

    @classmethod
    def _order(cls, partner, lines):
        """A draft sale order; ``lines`` is a list of (product, quantity)."""
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.product_variant_id.id,
                            "product_uom_qty": qty,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )

    @classmethod
    def _send_cost_to_alice(cls, cost=3):
        """Azure Widgets funded with a 10-credit pack and a ticket of Alice's
        whose ``cost`` waits for acceptance (``cls.ticket``)."""
        cls._buy(cls.alice.partner_id, cls.pack_10)
        cls.ticket = cls._ticket(cls.alice.partner_id, credit_cost=cost)
        cls.ticket.with_user(cls.agent).action_request_approval()

    @classmethod
    def _buy(cls, partner, pack, qty=1):
        order = cls._order(partner, [(pack, qty)])
        order.action_confirm()
        return order

    @classmethod
    def _wallet(cls, partner, company=None):
        return cls.Wallet.sudo()._get_wallets(partner, company or cls.company)

    @classmethod
    def _ticket(cls, partner, **values):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer on fire",
                "description": "<p>It burns.</p>",
                "partner_id": partner.id,
                **values,
            }
        )


class CommittedRaceMixin:
    """Races between real, committed transactions: each job runs in its own
    thread and cursor through Odoo's ``retrying`` (what every RPC and HTTP
    request goes through), and all take their snapshot before any writes (a
    barrier, on the first try). Needs ``cls.registry``."""

    # a read that opens the transaction's snapshot before the barrier
    race_snapshot_sql = "SELECT balance FROM support_credit_wallet"

    @classmethod
    def _env(cls, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _race(self, *jobs):
        """Run each job(env) in its own thread and transaction. Returns
        (results, errors, tries) per job."""
        barrier = threading.Barrier(len(jobs), timeout=30)
        results = [None] * len(jobs)
        errors = [None] * len(jobs)
        tries = [0] * len(jobs)

        def run(index, job):
            with self.registry.cursor() as cr:
                env = self._env(cr)

                def attempt():
                    tries[index] += 1
                    env.cr.execute(self.race_snapshot_sql)
                    if tries[index] == 1:
                        barrier.wait()
                    return job(env)

                try:
                    results[index] = retrying(attempt, env)
                except Exception as exc:  # noqa: BLE001 - reported to the test
                    errors[index] = exc

        self._run_threads(
            [
                threading.Thread(target=run, args=(index, job))
                for index, job in enumerate(jobs)
            ]
        )
        return results, errors, tries

    def _run_threads(self, threads, timeout=120):
        """Start ``threads``, wait for them; fail the test if one hangs."""
        with mute_logger("odoo.service.model", "odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=timeout)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a run hung")
