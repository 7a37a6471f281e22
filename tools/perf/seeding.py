# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The data tools/bench and tools/loadtest prepare, and the plan (JSON) that
tells their later steps where it is (Odoo python):

    python -m perf.seeding bench --conf C --db D --kind addon|baseline --plan P
    python -m perf.seeding loadtest --conf C --db D --plan P
    (--quick: the small sizes, for a quick run)

The helpers take an Odoo environment and create in batches: an agent,
customer companies with portal contacts, orders, premium requests waiting
for their cost, ledgers of any length."""

import argparse
import json
import random
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


def deferred_revenue(env):
    """Make the company's support credits deferred revenue (a liability
    account and a recognition journal of its own)."""
    company = env.company
    if company.support_deferred_account_id:
        return
    account = env["account.account"].create(
        {
            "name": "Deferred support revenue (bench)",
            "code": "BENCHD",
            "account_type": "liability_current",
        }
    )
    journal = env["account.journal"].create(
        {"name": "Support recognition (bench)", "code": "BREC", "type": "general"}
    )
    company.write(
        {
            "support_deferred_account_id": account.id,
            "support_recognition_journal_id": journal.id,
        }
    )


def invoiced_packs(env, customers, price=100.0):
    """``customers`` companies (no contact) that each bought a 10-credit pack
    at ``price``, confirmed and invoiced, in one batch. Returns them."""
    partners = env["res.partner"].create(
        [
            {"name": f"Invoiced customer {n}", "is_company": True}
            for n in range(customers)
        ]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": pack(env, 10).id,
                            "price_unit": price,
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    orders._create_invoices().action_post()
    env.flush_all()
    return partners


def use_credits(env, partners, used):
    """``used`` credits of each of ``partners``' wallets spent (one ledger
    line each, balances kept right), in SQL."""
    env.cr.execute(
        """
        INSERT INTO support_credit_line
            (wallet_id, partner_id, company_id, date, user_id, kind, amount,
             balance_after, reason)
        SELECT w.id, w.partner_id, w.company_id, now() at time zone 'UTC',
               %(uid)s, 'spend', -1, w.balance - n, 'bench'
          FROM support_credit_wallet w, generate_series(1, %(used)s) n
         WHERE w.partner_id = ANY(%(partners)s)
      ORDER BY w.id, n
        """,
        {"uid": env.uid, "used": used, "partners": partners.ids},
    )
    env.cr.execute(
        """
        UPDATE support_credit_wallet
           SET balance = balance - %(used)s, line_count = line_count + %(used)s
         WHERE partner_id = ANY(%(partners)s)
        """,
        {"used": used, "partners": partners.ids},
    )
    env.invalidate_all()


# ----------------------------------------------------------------------------
# tools/bench
# ----------------------------------------------------------------------------
def seed_bench(env, addon, sizes):
    """Customers, tickets and orders for the portal pages, the mail senders
    of the intake measure; with the addon, wallets of every ledger size and
    the customers of the throughput measure."""
    agent = create_agent(env, "Bench Agent", "bench_agent")
    team = premium_team(env, "Bench Support", "bench", "bench.example", addon)
    service = env["product.product"].create(
        {"name": "Consulting hour", "type": "service", "list_price": 100}
    )
    # pages: 10 and 100 tickets, 10 orders; with the addon, half of the
    # tickets wait for a cost to be accepted
    few, few_users = customers(env, "fewtickets")
    many, many_users = customers(env, "manytickets")
    for users, count in ((few_users, 5), (many_users, 50)):
        create_requests(env, agent, team, [users.partner_id] * count, "Bench", addon)
        create_requests(env, agent, team, [users.partner_id] * count, "Bench")
    confirm_order(env, agent, few, service, count=10)
    # intake: senders rotated, to stay below Odoo's mail loop detection
    customers(env, "mailer", 1, sizes["mail_senders"])
    plan = {
        "sizes": sizes,
        "password": PASSWORD,
        "logins": {"few": few_users.login, "many": many_users.login},
    }
    users = few_users | many_users
    if addon:
        fill_wallet(env, few, 10)
        users |= _bench_ledgers(env, sizes, plan)
        users |= _bench_throughput(env, agent, team, sizes, plan)
    share_password(env, users)
    return plan


def _bench_ledgers(env, sizes, plan):
    """One company per ledger size, its wallet filled to that size: the
    balance read at each size, /my/credits with 100 lines (a full page and a
    pager) and with the largest ledger."""
    companies = {}
    users = env["res.users"]
    for size in sizes["ledger_sizes"]:
        company, contact = customers(env, f"ledger{size}x")
        fill_wallet(env, company, size)
        companies[size] = company.id
        plan["logins"][f"ledger-{size}"] = contact.login
        users |= contact
    env.cr.execute("ANALYZE support_credit_line")
    plan["ledgers"] = companies
    plan["logins"].update(
        full=plan["logins"]["ledger-100"],
        big=plan["logins"][f"ledger-{max(sizes['ledger_sizes'])}"],
    )
    return users


def _bench_throughput(env, agent, team, sizes, plan):
    """Customers who accept costs over HTTP: one contact in each of N
    companies, N contacts of one company, and N customers who post in their
    ticket's chatter instead, each with the same number of requests."""
    clients, per = sizes["throughput_clients"], sizes["throughput_per_client"]
    distinct, distinct_users = customers(env, "distinct", clients)
    same, same_users = customers(env, "samewallet", 1, clients)
    chatter_users = customers(env, "chatter", clients)[1]
    for company in distinct | same:
        confirm_order(env, agent, company, pack(env, 10), -(-clients * per // 10))

    def requests(users, cost):
        return [
            {
                "login": user.login,
                "tickets": create_requests(
                    env,
                    agent,
                    team,
                    [user.partner_id] * (per if cost else 1),
                    "T",
                    cost,
                ).ids
                * (1 if cost else per),
            }
            for user in users
        ]

    plan["throughput"] = {
        "distinct": requests(distinct_users, True),
        "same": requests(same_users, True),
        "chatter": requests(chatter_users, False),
    }
    return distinct_users | same_users | chatter_users


# ----------------------------------------------------------------------------
# tools/loadtest
# ----------------------------------------------------------------------------
def seed_loadtest(env, sizes):
    """The wallets, contacts and waiting costs of the acceptance scenarios,
    and the emails of the mail scenario."""
    agent = create_agent(env, "Load Test Agent", "loadtest_agent")
    team = premium_team(env, "Premium Support", "premium", "loadtest.example")

    # race: contacts of one company, one ticket each, a wallet that pays for
    # some of them only
    race, race_users = customers(env, "race", 1, sizes["race_tickets"])
    confirm_order(env, agent, race, pack(env, 1), sizes["race_funds"])
    race_tickets = create_requests(env, agent, team, race_users.partner_id, "R", True)
    plan = {"sizes": sizes, "password": PASSWORD}
    plan["race"] = {
        "partner_id": race.id,
        "funds": sizes["race_funds"],
        "tickets": [
            {"id": t.id, "login": u.login}
            for t, u in zip(race_tickets, race_users, strict=True)
        ],
    }
    # spread: companies with two contacts each, their wallets funded with 0
    # to 5 credits by orders of 1-credit packs
    spread, spread_users = customers(env, "spread", sizes["spread_wallets"], 2)
    wallets = []
    for n, partner in enumerate(spread):
        if n % 6:
            confirm_order(env, agent, partner, pack(env, 1), n % 6)
        contacts = spread_users[2 * n : 2 * n + 2]
        partners = [
            contacts[k % 2].partner_id for k in range(sizes["spread_per_wallet"])
        ]
        tickets = create_requests(env, agent, team, partners, "S", True)
        wallets.append(
            {
                "partner_id": partner.id,
                "funds": n % 6,
                "logins": contacts.mapped("login"),
                "tickets": tickets.ids,
            }
        )
    plan["spread"] = {"wallets": wallets}
    plan["mail"] = mail_plan(spread_users, sizes, random.Random(7))
    share_password(env, race_users | spread_users)
    return plan


def mail_plan(users, sizes, rng):
    """The emails of the mail scenario, from ``users``, some refused by the
    intake rules (an unknown sender, no login in the subject), and the
    queue of each sender: every email once, round robin; some twice, half
    of those at the same moment from another sender (two MX hosts) and half
    later from the same sender (an MTA retry)."""
    from perf.emails import message_id, raw_email

    count, senders = sizes["mail_messages"], sizes["mail_senders"]
    period = 2 * count // sizes["mail_invalid"]
    alias, tag = "premium@loadtest.example", f"load{rng.randrange(10**9)}"
    messages = []
    for n in range(count):
        user = users[n % len(users)]
        kind = {1: "unknown_sender", 11: "no_login"}.get(n % period, "valid")
        sender = f"stranger{n}@elsewhere.example" if n % period == 1 else user.email
        login = "" if kind == "no_login" else f"[{user.login}] "
        mid = message_id(tag, n)
        raw = raw_email(user.name, sender, alias, f"{login}Request {n}", mid)
        messages.append({"message_id": mid, "kind": kind, "raw": raw})
    queues = [list(range(s, count, senders)) for s in range(senders)]
    duplicated = rng.sample(range(count), int(count * sizes["mail_duplicate_rate"]))
    concurrent = set(duplicated[: len(duplicated) // 2])
    for n in duplicated:
        if n in concurrent:
            other = queues[(n + 1) % senders]
            other.insert(min(n // senders, len(other)), n)
        else:
            queues[n % senders].append(n)
    return {"messages": messages, "queues": queues}


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
