# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The database of tools/bench: what the portal pages, the email intake,
the ledgers and the throughput measures need, and the plan that tells the
later steps where it is (the measure modules prepare the rest)."""

from perf import seeding


def seed_bench(env, addon, sizes):
    """Customers, tickets and orders for the portal pages, the mail senders
    of the intake measure; with the addon, wallets of every ledger size and
    the customers of the throughput measure."""
    agent = seeding.create_agent(env, "Bench Agent", "bench_agent")
    team = seeding.premium_team(env, "Bench Support", "bench", "bench.example", addon)
    service = env["product.product"].create(
        {"name": "Consulting hour", "type": "service", "list_price": 100}
    )
    # pages: 10 and 100 tickets, 10 orders; with the addon, half of the
    # tickets wait for a cost to be accepted
    few, few_users = seeding.customers(env, "fewtickets")
    many, many_users = seeding.customers(env, "manytickets")
    for users, count in ((few_users, 5), (many_users, 50)):
        seeding.create_requests(
            env, agent, team, [users.partner_id] * count, "Bench", addon
        )
        seeding.create_requests(env, agent, team, [users.partner_id] * count, "Bench")
    seeding.confirm_order(env, agent, few, service, count=10)
    # intake: senders rotated, to stay below Odoo's mail loop detection
    seeding.customers(env, "mailer", 1, sizes["mail_senders"])
    plan = {
        "sizes": sizes,
        "password": seeding.PASSWORD,
        "logins": {"few": few_users.login, "many": many_users.login},
    }
    users = few_users | many_users
    if addon:
        seeding.fill_wallet(env, few, 10)
        users |= _bench_ledgers(env, sizes, plan)
        users |= _bench_throughput(env, agent, team, sizes, plan)
    seeding.share_password(env, users)
    return plan


def _bench_ledgers(env, sizes, plan):
    """One company per ledger size, its wallet filled to that size: the
    balance read at each size, /my/credits with 100 lines (a full page and a
    pager) and with the largest ledger."""
    companies = {}
    users = env["res.users"]
    for size in sizes["ledger_sizes"]:
        company, contact = seeding.customers(env, f"ledger{size}x")
        seeding.fill_wallet(env, company, size)
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
    distinct, distinct_users = seeding.customers(env, "distinct", clients)
    same, same_users = seeding.customers(env, "samewallet", 1, clients)
    chatter_users = seeding.customers(env, "chatter", clients)[1]
    for company in distinct | same:
        seeding.confirm_order(
            env, agent, company, seeding.pack(env, 10), -(-clients * per // 10)
        )

    def requests(users, cost):
        return [
            {
                "login": user.login,
                "tickets": seeding.create_requests(
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
