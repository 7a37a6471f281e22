# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The database of tools/loadtest: the wallets, contacts and waiting costs of
the acceptance scenarios, and the emails of the mail scenario."""

import random

from perf import seeding


def seed_loadtest(env, sizes):
    """The wallets, contacts and waiting costs of the acceptance scenarios,
    and the emails of the mail scenario."""
    agent = seeding.create_agent(env, "Load Test Agent", "loadtest_agent")
    team = seeding.premium_team(env, "Premium Support", "premium", "loadtest.example")

    # race: contacts of one company, one ticket each, a wallet that pays for
    # some of them only
    race, race_users = seeding.customers(env, "race", 1, sizes["race_tickets"])
    seeding.confirm_order(env, agent, race, seeding.pack(env, 1), sizes["race_funds"])
    race_tickets = seeding.create_requests(
        env, agent, team, race_users.partner_id, "R", True
    )
    plan = {"sizes": sizes, "password": seeding.PASSWORD}
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
    spread, spread_users = seeding.customers(env, "spread", sizes["spread_wallets"], 2)
    wallets = []
    for n, partner in enumerate(spread):
        if n % 6:
            seeding.confirm_order(env, agent, partner, seeding.pack(env, 1), n % 6)
        contacts = spread_users[2 * n : 2 * n + 2]
        partners = [
            contacts[k % 2].partner_id for k in range(sizes["spread_per_wallet"])
        ]
        tickets = seeding.create_requests(env, agent, team, partners, "S", True)
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
    seeding.share_password(env, race_users | spread_users)
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
