# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The builders tools/bench and tools/loadtest prepare their data with, and
the command that writes each tool's database and plan (JSON) telling its
later steps where the data is (Odoo python):

    python -m perf.seeding bench --conf C --db D --kind addon|baseline --plan P
    python -m perf.seeding loadtest --conf C --db D --plan P
    (--quick: the small sizes, for a quick run)

The builders take an Odoo environment and create in batches: an agent,
customer companies with portal contacts, orders, premium requests waiting
for their cost, ledgers of any length. What each tool's database holds is in
perf/bench/plan.py and perf/loadtest/plan.py."""

import argparse
import json
from pathlib import Path

ADDON = "helpdesk_premium_support"
PASSWORD = "perf-portal"  # noqa: S105 - throw-away databases on loopback


def create_agent(env, name, login):
    """A helpdesk and sales manager who confirms orders and sends costs."""
    return env["res.users"].create(
        {
            "name": name,
            "login": login,
            "email": f"{login}@vendor.example",
            "group_ids": [
                (4, env.ref("helpdesk_mgmt.group_helpdesk_manager").id),
                (4, env.ref("sales_team.group_sale_manager").id),
            ],
        }
    )


def customers(env, prefix, companies=1, contacts=1):
    """``companies`` companies named "``prefix`` N", each with ``contacts``
    portal contacts (login ``prefix``N-C, at ``prefix``N.example), in one
    batch. Returns (companies, users), users grouped by company."""
    names = [f"{prefix}{n}" for n in range(companies)]
    partners = env["res.partner"].create(
        [{"name": f"{name} Ltd", "is_company": True} for name in names]
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"{name} contact {c}",
                    "login": f"{name}-{c}",
                    "email": f"contact{c}@{name}.example",
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
                for name in names
                for c in range(contacts)
            ]
        )
    )
    for n, user in enumerate(users):
        user.partner_id.parent_id = partners[n // contacts]
    return partners, users


def confirm_order(env, agent, partner, product, quantity=1, count=1):
    """``count`` orders of ``quantity`` of ``product`` (a variant) for
    ``partner``, created and confirmed by ``agent`` in one batch."""
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": quantity})
                ],
            }
            for _n in range(count)
        ]
    )
    orders.with_user(agent).action_confirm()
    return orders


def create_requests(env, agent, team, partners, name, cost=False):
    """One ticket of ``team`` per partner of ``partners`` (a partner may come
    back), named "``name`` N". With ``cost``, each costs one credit and waits
    for the customer's acceptance (the agent sent the cost)."""
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"{name} {n}",
                "description": "<p>Please look at it.</p>",
                "partner_id": partner.id,
                "team_id": team.id,
                **({"credit_cost": 1} if cost else {}),
            }
            for n, partner in enumerate(partners)
        ]
    )
    if cost:
        tickets.with_user(agent).action_request_approval()
    return tickets


def fill_wallet(env, company, lines):
    """The wallet of ``company`` with ``lines`` more ledger lines (+1, -1, ...:
    its balance unchanged), written in SQL by the test suite's helper."""
    from odoo.addons.helpdesk_premium_support.tests.common import grow_ledger

    wallet = env["support.credit.wallet"]._get_wallets(company, env.company)
    grow_ledger(env, wallet, lines // 2)
    return wallet


def share_password(env, users, password=PASSWORD):
    """Give ``users`` the same password: hashed once, copied in SQL (hashing
    a hundred passwords one by one takes a minute)."""
    users[:1].password = password
    env.flush_all()
    env.cr.execute(
        "UPDATE res_users SET password = (SELECT password FROM res_users WHERE id = %s)"
        " WHERE id = ANY(%s)",
        [users[0].id, users.ids],
    )
    env["res.users"].invalidate_model(["password"])


def premium_team(env, name, alias, domain, premium=True):
    """A team whose alias is ``alias``@``domain`` (the company's alias
    domain, created if needed), premium when the addon is installed."""
    Domain = env["mail.alias.domain"]
    if not Domain.search([("name", "=", domain)]):
        env.company.alias_domain_id = Domain.create({"name": domain})
    values = {"name": name, "alias_name": alias}
    if premium and "is_premium" in env["helpdesk.ticket.team"]._fields:
        values["is_premium"] = True
    return env["helpdesk.ticket.team"].create(values)


def pack(env, credits):
    """The variant of the addon's pack of ``credits`` credits."""
    return env.ref(f"{ADDON}.product_premium_support_{credits}").product_variant_id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tool", choices=["bench", "loadtest"])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--kind", choices=["addon", "baseline"], default="addon")
    parser.add_argument("--plan", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from perf import bench, loadtest
    from perf.bench.plan import seed_bench
    from perf.loadtest.plan import seed_loadtest
    from perf.odoo_env import open_env

    env = open_env(args.conf, args.db)
    size = "quick" if args.quick else "full"
    try:
        if args.tool == "bench":
            plan = seed_bench(env, args.kind == "addon", bench.SIZES[size])
        else:
            plan = seed_loadtest(env, loadtest.SIZES[size])
        env.cr.commit()
    finally:
        env.cr.close()
    Path(args.plan).write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
