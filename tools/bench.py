#!/usr/bin/env python3
# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The parts of tools/bench, one sub-command each.

    bench.py seed   --conf C --db D --kind addon|baseline --plan P
                    customers, tickets and orders for the pages (python3 with Odoo)
    bench.py orm    --conf C --db D --base-db B --out O
                    in-process measures, both databases in one process
    bench.py http   --url U --plan P --kind K --out O
                    portal pages and acceptance throughput (venv with requests, gevent)
    bench.py report --results-dir W --md M --png G
                    the Markdown table and the chart (venv with matplotlib)

Every figure is a median over repetitions and is compared with the same kind
of operation of plain Odoo or plain helpdesk_mgmt measured in the same run."""

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from perf import seeding

PASSWORD = "bench-portal"  # noqa: S105 - throw-away database on loopback
ALIAS_DOMAIN = "bench.example"
LEDGER_SIZES = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
ORM_REPS = 25
PAGE_WARMUP, PAGE_REPS = 8, 40
THROUGHPUT_CLIENTS, THROUGHPUT_PER_CLIENT = 8, 20
MAIL_SENDERS = 10
TARGETS = {
    "intake": 1.15,
    "acceptance": 1.30,
    "order": 1.10,
    "page": 1.10,
    # constant: the same queries at every size, and the time within the noise
    # of a one-millisecond read on a shared machine
    "balance": 1.25,
}


# ----------------------------------------------------------------------------
# seed: the data the HTTP measures need (python3 with Odoo)
# ----------------------------------------------------------------------------
def _odoo_env(conf, db):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if not getattr(_odoo_env, "configured", False):
        config.parse_config(["-c", conf], setup_logging=True)
        _odoo_env.configured = True
    registry = Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def seed(args):
    env = _odoo_env(args.conf, args.db)
    try:
        plan = _seed(env, addon=args.kind == "addon")
        env.cr.commit()
    finally:
        env.cr.close()
    Path(args.plan).write_text(json.dumps(plan, indent=1))


def _seed(env, addon):
    if not env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)]):
        env.company.alias_domain_id = env["mail.alias.domain"].create(
            {"name": ALIAS_DOMAIN}
        )
    staff = seeding.create_agent(env, "Bench Agent", "bench_agent")
    team_values = {"name": "Bench Support", "alias_name": "bench"}
    if addon:
        team_values["is_premium"] = True
    team = env["helpdesk.ticket.team"].create(team_values)
    service = env["product.product"].create(
        {"name": "Consulting hour", "type": "service", "list_price": 100}
    )

    def company_with_users(name, count):
        slug = name.split()[0].lower()
        logins = [f"{slug}{n}" for n in range(count)]
        return seeding.create_customers(
            env, {name: [(login, f"{login}@{slug}.example") for login in logins]}
        )

    def tickets(users, count, cost=False):
        partners = [users[n % len(users)].partner_id for n in range(count)]
        return seeding.create_requests(
            env, staff, team, partners, "Bench request", cost=cost
        )

    # pages: 10 and 100 tickets, 10 orders; with the addon, half of the
    # tickets wait for a cost to be accepted
    few, few_users = company_with_users("Fewtickets Ltd", 1)
    many, many_users = company_with_users("Manytickets Ltd", 1)
    tickets(few_users, 5, cost=addon)
    tickets(few_users, 5)
    tickets(many_users, 50, cost=addon)
    tickets(many_users, 50)
    seeding.confirm_order(env, staff, few, service, count=10)
    # intake: senders rotated, to stay below Odoo's mail loop detection
    company_with_users("Mailers Ltd", MAIL_SENDERS)
    plan = {
        "logins": {"few": "fewtickets0", "many": "manytickets0"},
        "password": PASSWORD,
        "team_id": team.id,
    }
    users = few_users | many_users
    if addon:
        pack_10 = env.ref(
            "helpdesk_premium_support.product_premium_support_10"
        ).product_variant_id

        def fund(partner, credits):
            seeding.confirm_order(env, staff, partner, pack_10, credits // 10)

        def fill(company, size):
            wallet = env["support.credit.wallet"]._get_wallets(company, env.company)
            wallet._post_many(
                [
                    {
                        "amount": 1 - 2 * (n % 2),
                        "kind": "adjustment",
                        "reason": f"bench {n}",
                    }
                    for n in range(size)
                ]
            )

        # /my/credits: a wallet of 10 lines, one of 100 (a full page of lines
        # and a pager, as the million-line one shows), and the big one, which
        # grows to a million lines during the in-process measures
        fill(few, 10)
        full, full_users = company_with_users("Fullpage Ltd", 1)
        fill(full, 100)
        big, big_users = company_with_users("Bigledger Ltd", 1)
        fill(big, 10)
        plan["logins"].update(full="fullpage0", big="bigledger0")
        plan["big_partner_id"] = big.id
        users |= full_users | big_users
        # throughput: 8 companies with one contact each, and one company
        # with 8 contacts: 20 tickets per contact, all waiting
        per = THROUGHPUT_CLIENTS * THROUGHPUT_PER_CLIENT
        distinct = []
        for n in range(THROUGHPUT_CLIENTS):
            company, contact = company_with_users(f"Distinct{n} Ltd", 1)
            fund(company, per)
            records = tickets(contact, THROUGHPUT_PER_CLIENT, cost=True)
            distinct.append({"login": contact.login, "tickets": records.ids})
            users |= contact
        company, contacts = company_with_users("Samewallet Ltd", THROUGHPUT_CLIENTS)
        fund(company, per)
        same = []
        for contact in contacts:
            records = tickets(contact, THROUGHPUT_PER_CLIENT, cost=True)
            same.append({"login": contact.login, "tickets": records.ids})
        users |= contacts
        # chatter: the same kind of customers post on their tickets instead
        chatter = []
        for n in range(THROUGHPUT_CLIENTS):
            company, contact = company_with_users(f"Chatter{n} Ltd", 1)
            records = tickets(contact, 1)
            chatter.append(
                {"login": contact.login, "tickets": records.ids * THROUGHPUT_PER_CLIENT}
            )
            users |= contact
        plan["throughput"] = {"distinct": distinct, "same": same, "chatter": chatter}
    seeding.share_password(env, users, PASSWORD)
    return plan


# ----------------------------------------------------------------------------
# orm: in-process measures on both databases (python3 with Odoo)
# ----------------------------------------------------------------------------
class Meter:
    """Wall time (ms) and queries of one call, the env cache emptied first
    (as at the start of a request) and the writes flushed at the end."""

    def __init__(self, env):
        self.env = env

    def __call__(self, func):
        env = self.env
        env.flush_all()
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        env.flush_all()
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, env.cr.sql_log_count - start_queries


def _summary(samples):
    times = [t for t, _q in samples]
    queries = [q for _t, q in samples]
    return {
        "ms": round(statistics.median(times), 3),
        "queries": statistics.median(queries),
        "n": len(samples),
        "min_ms": round(min(times), 3),
    }


def _interleave(pairs, reps, warmup=3):
    """Run each (name, func(i)) pair in turn, ``warmup + reps`` times, and
    return {name: summary} of the last ``reps``."""
    samples = {name: [] for name, _meter, _func in pairs}
    for i in range(warmup + reps):
        for name, meter, func in pairs:
            sample = meter(lambda func=func, i=i: func(i))
            if i >= warmup:
                samples[name].append(sample)
    return {name: _summary(values) for name, values in samples.items()}


def _raw_email(sender, login, alias, n):
    msg = EmailMessage()
    msg["From"] = f'"{login}" <{sender}>'
    msg["To"] = alias
    msg["Subject"] = f"[{login}] Request {n}: the export fails"
    msg["Message-Id"] = make_msgid(f"bench{n}", domain="customer.example")
    msg.set_content(f"Hello,\n\nrequest number {n}: the nightly export fails.\n")
    return msg.as_bytes()


def orm(args):
    addon = _odoo_env(args.conf, args.db)
    base = _odoo_env(args.conf, args.base_db)
    results = {}
    try:
        results["intake"] = _bench_intake(addon, base)
        results["acceptance"] = _bench_acceptance(addon)
        results["order"] = _bench_order(addon)
        # what the other measures wrote is not needed by the pages
        addon.cr.rollback()
        base.cr.rollback()
        results["balance"] = _bench_balance(addon, args.big_partner)
        addon.cr.commit()
    finally:
        addon.cr.close()
        base.cr.close()
    Path(args.out).write_text(json.dumps(results, indent=1))


def _bench_intake(addon, base):
    """message_process of one raw email on a team alias, as odoo-mailgate
    does it (the administrator), with the addon's premium rules or plain
    helpdesk_mgmt's."""
    runs = []
    for env in (addon, base):
        team = env["helpdesk.ticket.team"].search([("alias_name", "=", "bench")])
        users = env["res.users"].search([("login", "=like", "mailers%")], order="id")
        admin = env(user=env.ref("base.user_admin").id)
        alias = f"bench@{ALIAS_DOMAIN}"
        thread = admin["mail.thread"]

        def process(i, thread=thread, users=users, alias=alias):
            user = users[i % len(users)]
            raw = _raw_email(user.email, user.login, alias, i)
            if not thread.message_process(False, raw):
                raise RuntimeError("the email made no ticket")

        assert team
        runs.append((Meter(admin), process))
    measured = _interleave(
        [("addon", runs[0][0], runs[0][1]), ("baseline", runs[1][0], runs[1][1])],
        ORM_REPS,
    )
    return measured


def _bench_acceptance(env):
    """A customer accepts a cost, against a customer posting in the ticket's
    portal chatter (what helpdesk_mgmt's portal does for any reply)."""
    staff = env["res.users"].search([("login", "=", "bench_agent")])
    company = env["res.partner"].create({"name": "Acceptor Ltd", "is_company": True})
    user = env["res.users"].search([("login", "=", "fewtickets0")])
    customer = user.partner_id
    original_parent = customer.parent_id
    customer.parent_id = company
    pack = env.ref("helpdesk_premium_support.product_premium_support_50")
    order = env["sale.order"].create(
        {
            "partner_id": company.id,
            "order_line": [(0, 0, {"product_id": pack.product_variant_id.id})],
        }
    )
    order.with_user(staff).action_confirm()
    reps = ORM_REPS + 3
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Accept me {n}",
                "description": "<p>x</p>",
                "partner_id": customer.id,
                "credit_cost": 1,
            }
            for n in range(2 * reps)
        ]
    )
    tickets.with_user(staff).action_request_approval()
    as_user = env(user=user.id)
    accept_tickets = tickets[:reps].with_env(as_user)
    post_tickets = tickets[reps:].with_env(as_user)

    def accept(i):
        ticket = accept_tickets[i]
        ticket.action_approve_cost(cost_version=ticket.sudo().cost_version)

    def post(i):
        post_tickets[i].sudo().message_post(
            body="Thanks, please go ahead.",
            author_id=customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    meter = Meter(as_user)
    measured = _interleave(
        [("addon", meter, accept), ("baseline", meter, post)], ORM_REPS
    )
    customer.parent_id = original_parent
    return measured


def _bench_order(env):
    """Confirming an order of 10 credit-pack lines, against the same order
    whose two products are copies of the packs that grant no credits: what
    is left is the grant itself."""
    staff = env["res.users"].search([("login", "=", "bench_agent")])
    as_staff = env(user=staff.id)
    partner = env["res.partner"].search([("name", "=", "Fewtickets Ltd")])
    pack_1 = env.ref("helpdesk_premium_support.product_premium_support_1")
    pack_10 = env.ref("helpdesk_premium_support.product_premium_support_10")
    plain_1, plain_10 = (
        pack.copy({"support_credits": 0}).product_variant_id
        for pack in (pack_1, pack_10)
    )
    reps = ORM_REPS + 3

    def make(products):
        return as_staff["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": p.id, "product_uom_qty": 1})
                        for p in products
                    ],
                }
                for _n in range(reps)
            ]
        )

    packs = make([pack_1.product_variant_id] * 5 + [pack_10.product_variant_id] * 5)
    plain = make([plain_1] * 5 + [plain_10] * 5)
    meter = Meter(as_staff)
    return _interleave(
        [
            ("addon", meter, lambda i: packs[i].action_confirm()),
            ("baseline", meter, lambda i: plain[i].action_confirm()),
        ],
        ORM_REPS,
    )


def _bench_balance(env, big_partner_id):
    """A contact's support_credit_balance as the ledger of its company grows
    from 10 to a million lines, against reading a plain stored field of the
    same contact."""
    big = env["res.partner"].browse(big_partner_id)
    contact = big.child_ids[:1]
    wallet = env["support.credit.wallet"]._get_wallets(big, env.company)
    meter = Meter(env)
    sizes = []
    for size in LEDGER_SIZES:
        env.cr.execute(
            "SELECT COUNT(*) FROM support_credit_line WHERE wallet_id = %s", [wallet.id]
        )
        missing = size - env.cr.fetchone()[0]
        if missing > 0:
            _grow(env, wallet, missing)
            env.cr.execute("ANALYZE support_credit_line")
        measured = _interleave(
            [
                ("addon", meter, lambda i: contact.support_credit_balance),
                ("baseline", meter, lambda i: contact.email),
            ],
            ORM_REPS,
        )
        measured["lines"] = size
        sizes.append(measured)
    return sizes


def _grow(env, wallet, count):
    """Append ``count`` old lines (+1, -1, ... ) to ``wallet`` in SQL, every
    running balance right and the wallet's balance unchanged (count even)."""
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO support_credit_line
            (wallet_id, partner_id, company_id, date, user_id, kind, amount,
             balance_after, reason, create_uid, create_date, write_uid, write_date)
        SELECT w.id, w.partner_id, w.company_id,
               now() at time zone 'UTC' - interval '400 days' + n * interval '1 second',
               %(uid)s, 'adjustment',
               CASE WHEN n %% 2 = 0 THEN 1 ELSE -1 END,
               w.balance + CASE WHEN n %% 2 = 0 THEN 1 ELSE 0 END,
               'history', %(uid)s, now() at time zone 'UTC', %(uid)s,
               now() at time zone 'UTC'
          FROM support_credit_wallet w, generate_series(0, %(n)s - 1) AS n
         WHERE w.id = %(wallet)s
      ORDER BY n
        """,
        {"uid": env.uid, "n": count - count % 2, "wallet": wallet.id},
    )
    env.cr.execute(
        "UPDATE support_credit_wallet SET line_count = line_count + %s WHERE id = %s",
        [count - count % 2, wallet.id],
    )
    wallet.invalidate_recordset(["line_count"])


# ----------------------------------------------------------------------------
# http: portal pages and acceptance throughput (venv)
# ----------------------------------------------------------------------------
def http(args):
    from gevent import monkey

    monkey.patch_all()
    import gevent
    import requests

    plans = {
        "addon": json.loads(Path(args.plan).read_text()),
        "baseline": json.loads(Path(args.base_plan).read_text()),
    }
    urls = {"addon": args.url, "baseline": args.base_url}
    url = args.url
    results = {"pages": [], "throughput": {}}

    def csrf(html):
        match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html)
        return match and match.group(1)

    def login(name, server="addon"):
        session = requests.Session()
        page = session.get(f"{urls[server]}/web/login", timeout=60)
        response = session.post(
            f"{urls[server]}/web/login",
            data={
                "login": name,
                "password": plans[server]["password"],
                "csrf_token": csrf(page.text),
                "redirect": "/my",
            },
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 303 or "/web/login" in response.headers.get(
            "Location", ""
        ):
            raise RuntimeError(f"login {name} failed: {response.status_code}")
        return session

    # Both servers run side by side and every round asks each page once, in
    # turn: a change of load on the shared machine hits ours and the
    # baseline alike.
    pages = [
        ("addon", "home", "few", "/my"),
        ("baseline", "home", "few", "/my"),
        ("addon", "tickets-10", "few", "/my/tickets"),
        ("baseline", "tickets-10", "few", "/my/tickets"),
        ("addon", "tickets-100", "many", "/my/tickets"),
        ("baseline", "tickets-100", "many", "/my/tickets"),
        ("addon", "credits-10", "few", "/my/credits"),
        ("addon", "credits-100", "full", "/my/credits"),
        ("addon", "credits-1000000", "big", "/my/credits"),
        ("baseline", "orders-10", "few", "/my/orders"),
    ]
    sessions = {}
    for server, _label, who, _path in pages:
        if (server, who) not in sessions:
            sessions[server, who] = login(plans[server]["logins"][who], server)
    times = {(server, label): [] for server, label, _who, _path in pages}
    for i in range(PAGE_WARMUP + PAGE_REPS):
        for server, label, who, path in pages:
            start = time.perf_counter()
            response = sessions[server, who].get(
                f"{urls[server]}{path}?bench={label}-{i}", timeout=120
            )
            if response.status_code != 200:
                raise RuntimeError(f"{server} {path}: HTTP {response.status_code}")
            if i >= PAGE_WARMUP:
                times[server, label].append((time.perf_counter() - start) * 1000)
    for server, label, _who, path in pages:
        results["pages"].append(
            {
                "server": server,
                "label": label,
                "path": path,
                "client_ms": round(statistics.median(times[server, label]), 2),
                "markers": [
                    f"bench={label}-{i}"
                    for i in range(PAGE_WARMUP, PAGE_WARMUP + PAGE_REPS)
                ],
            }
        )
    plan = plans["addon"]

    def accept(session, token, ticket_id):
        response = session.post(
            f"{url}/my/ticket/{ticket_id}/cost/approve",
            data={"csrf_token": token, "cost_version": "1"},
            allow_redirects=False,
            timeout=300,
        )
        location = response.headers.get("Location", "")
        return response.status_code == 303 and "cost_error" not in location

    def post(session, _token, ticket_id):
        response = session.post(
            f"{url}/mail/message/post",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": ticket_id,
                    "post_data": {
                        "body": "Thanks, please go ahead.",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            },
            timeout=300,
        )
        return response.status_code == 200 and "error" not in response.json()

    for name, action in (
        ("chatter", post),
        ("distinct", accept),
        ("same", accept),
    ):
        clients = plan["throughput"][name]
        clients_sessions = []
        for client in clients:
            session = login(client["login"])
            page = session.get(f"{url}/my/ticket/{client['tickets'][0]}", timeout=60)
            clients_sessions.append((session, csrf(page.text), client["tickets"]))
        done = []

        def run(session, token, tickets, action=action, done=done):
            for ticket_id in tickets:
                done.append(action(session, token, ticket_id))

        start = time.perf_counter()
        greenlets = [gevent.spawn(run, *s) for s in clients_sessions]
        gevent.joinall(greenlets, timeout=600)
        elapsed = time.perf_counter() - start
        results["throughput"][name] = {
            "requests": len(done),
            "ok": sum(done),
            "seconds": round(elapsed, 3),
            "per_second": round(len(done) / elapsed, 2),
            "clients": len(clients),
        }
    Path(args.out).write_text(json.dumps(results, indent=1))


# ----------------------------------------------------------------------------
# report: Markdown and chart (venv with matplotlib)
# ----------------------------------------------------------------------------
LOG_LINE = re.compile(
    r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) - (?P<queries>\d+) '
    r"(?P<sql>[\d.]+) (?P<other>[\d.]+)"
)


def _server_side(log_path, markers):
    """Median server time (ms) and queries of the requests carrying the
    markers, read from the server log (Odoo logs both for every request)."""
    wanted = set(markers)
    times, queries = [], []
    for line in Path(log_path).read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if not match:
            continue
        query = match.group("path").partition("?")[2]
        if query in wanted:
            times.append(
                (float(match.group("sql")) + float(match.group("other"))) * 1000
            )
            queries.append(int(match.group("queries")))
    if not times:
        return None
    return {
        "ms": round(statistics.median(times), 2),
        "queries": statistics.median(queries),
    }


def report(args):
    work = Path(args.results_dir)
    orm_results = json.loads((work / "orm.json").read_text())
    addon_http = json.loads((work / "http.json").read_text())
    machine = json.loads((work / "machine.json").read_text())

    def pages(server):
        return {
            p["label"]: _server_side(work / f"server-{server}.log", p["markers"])
            for p in addon_http["pages"]
            if p["server"] == server
        }

    ours_pages = pages("addon")
    base_pages = pages("baseline")
    balance = orm_results["balance"]
    tp = addon_http["throughput"]
    rows = []

    def row(name, ours, base_name, base, target=None, short=None, same_queries=False):
        """``target``: the highest ratio allowed; ``same_queries``: the
        queries must also be equal (work that must not grow)."""
        if ours.get("rate"):
            ratio = base["rate"] / ours["rate"]
        else:
            ratio = ours["ms"] / base["ms"]
        met = None
        if target is not None:
            met = ratio <= target and (
                not same_queries or ours["queries"] == base["queries"]
            )
        rows.append(
            {
                "name": name,
                "short": short or name.replace("`", ""),
                "ours": ours,
                "base_name": base_name,
                "base": base,
                "ratio": ratio,
                "target": target,
                "same_queries": same_queries,
                "met": met,
            }
        )

    row(
        "Email intake: one email to a premium team's alias",
        orm_results["intake"]["addon"],
        "the same email to a plain helpdesk_mgmt team's alias (baseline database)",
        orm_results["intake"]["baseline"],
        TARGETS["intake"],
        short="Email intake",
    )
    row(
        "Acceptance of a cost by the customer",
        orm_results["acceptance"]["addon"],
        "the customer's post in the ticket's portal chatter",
        orm_results["acceptance"]["baseline"],
        TARGETS["acceptance"],
        short="Acceptance vs a chatter post",
    )
    row(
        "Confirming an order of 10 credit-pack lines",
        orm_results["order"]["addon"],
        "the same order, its two products copies of the packs that grant no credits",
        orm_results["order"]["baseline"],
        TARGETS["order"],
        short="Order confirmation, 10 pack lines",
    )
    row(
        "`/my` (portal home)",
        ours_pages["home"],
        "`/my` of plain helpdesk_mgmt (baseline database)",
        base_pages["home"],
        TARGETS["page"],
    )
    row(
        "`/my/tickets`, 10 tickets",
        ours_pages["tickets-10"],
        "`/my/tickets` of plain helpdesk_mgmt, 10 tickets",
        base_pages["tickets-10"],
        TARGETS["page"],
    )
    row(
        "`/my/tickets`, 100 tickets",
        ours_pages["tickets-100"],
        "`/my/tickets` of plain helpdesk_mgmt, 100 tickets",
        base_pages["tickets-100"],
        TARGETS["page"],
    )
    row(
        "`/my/credits`, 10 ledger lines",
        ours_pages["credits-10"],
        "`/my/orders` of plain Odoo, 10 orders (baseline database)",
        base_pages["orders-10"],
        TARGETS["page"],
    )
    row(
        "`/my/credits`, 1,000,000 ledger lines",
        ours_pages["credits-1000000"],
        "`/my/credits` with 100 ledger lines: the same full page of lines"
        " and pager (constant work)",
        ours_pages["credits-100"],
        TARGETS["page"],
        short="/my/credits, 1M lines vs 100",
        same_queries=True,
    )
    row(
        "Balance read, 1,000,000 ledger lines",
        balance[-1]["addon"],
        "the balance read with 10 ledger lines (constant work)",
        balance[0]["addon"],
        TARGETS["balance"],
        short="Balance read, 1M lines vs 10",
        same_queries=True,
    )
    for name, label in (("distinct", "8 distinct wallets"), ("same", "one wallet")):
        row(
            f"Acceptance throughput, {label}",
            {"rate": tp[name]["per_second"], "queries": None},
            "portal chatter posts by as many clients (ratio: that rate / ours)",
            {"rate": tp["chatter"]["per_second"], "queries": None},
            short=f"Acceptance throughput, {label}",
        )

    def figure(m):
        if m.get("rate"):
            return f"{m['rate']:.1f}/s"
        return f"{m['ms']:.1f} ms, {m['queries']:g} q"

    def verdict(r):
        if r["met"] is None:
            return ""
        return "meets" if r["met"] else "**misses**"

    def target(r):
        if r["target"] is None:
            return ""
        same = ", same queries" if r["same_queries"] else ""
        return f"≤ {r['target']:.2f}x{same}"

    out = [
        "# Benchmarks",
        "",
        f"Measured on {machine['date']} by `tools/bench` on {machine['cpu']} "
        f"({machine['cores']} cores, {machine['memory_gb']} GB), "
        f"{machine['postgres']}, Odoo {machine['odoo']}, Python {machine['python']}.",
        "",
        "Each figure is a median, set against the nearest operation of plain Odoo or "
        "plain helpdesk_mgmt measured in the same run: *ratio* is ours / baseline "
        "in time (for throughput: the baseline's rate / ours), *q* the SQL queries. "
        "The baseline database has helpdesk_mgmt, sale_management and website_sale "
        "without this addon. In-process figures: "
        f"{ORM_REPS} repetitions after 3 warm-up ones, interleaved with the "
        "baseline, the ORM cache emptied before each one as at the start of a "
        f"request. Pages: {PAGE_REPS} requests after {PAGE_WARMUP} warm-up ones, "
        "ours and the baseline's served side by side by two servers with "
        f"{machine['workers']} workers each and asked in turn; server time and "
        "queries as Odoo logs them. "
        f"Throughput: {THROUGHPUT_CLIENTS} logged-in clients over HTTP, "
        f"{THROUGHPUT_PER_CLIENT} requests each.",
        "",
        "| operation | ours | baseline | baseline is | ratio | target | |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['name']} | {figure(r['ours'])} | {figure(r['base'])} | "
            f"{r['base_name']} | {r['ratio']:.2f}x | {target(r)} | {verdict(r)} |"
        )
    out += [
        "",
        "Balance read (`res.partner.support_credit_balance` of a contact) as its "
        "company's ledger grows, next to reading a plain stored field of the same "
        "contact:",
        "",
        "| ledger lines | balance read | plain field read | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for size in balance:
        out.append(
            f"| {size['lines']:,} | {figure(size['addon'])} | "
            f"{figure(size['baseline'])} | "
            f"{size['addon']['ms'] / size['baseline']['ms']:.2f}x |"
        )
    out += [
        "",
        "Acceptance throughput over HTTP: "
        + ", ".join(
            f"{k} {v['per_second']:.1f}/s ({v['ok']}/{v['requests']} ok)"
            for k, v in tp.items()
        )
        + ". Customers of one wallet are serialized on the wallet's row: the "
        "losers of each race are retried by Odoo, hence the lower rate.",
        "",
        "![Benchmarks](benchmarks.png)",
        "",
    ]
    Path(args.md).write_text("\n".join(out))
    _chart(rows, balance, args.png, machine)
    width = max(len(r["short"]) for r in rows)
    print(
        f"  {'operation':{width}} {'ours':>16} {'baseline':>16} {'ratio':>7}  "
        f"{'target':22} verdict"
    )
    for r in rows:
        print(
            f"  {r['short']:{width}} {figure(r['ours']):>16} {figure(r['base']):>16} "
            f"{r['ratio']:6.2f}x  {target(r):22} {verdict(r).strip('*')}"
        )
    return 1 if any(r["met"] is False for r in rows) else 0


def _chart(rows, balance, png, machine):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(
        1, 2, figsize=(12.5, 5.2), gridspec_kw={"width_ratios": [1.6, 1]}
    )
    names = [r["short"] for r in rows]
    ratios = [r["ratio"] for r in rows]
    colors = [
        "#607d8b" if r["met"] is None else ("#2e7d32" if r["met"] else "#c62828")
        for r in rows
    ]
    y = list(range(len(rows)))[::-1]
    left.barh(y, ratios, color=colors, height=0.6)
    for yy, r in zip(y, rows, strict=True):
        end = r["ratio"]
        if r["target"]:
            left.plot([r["target"]] * 2, [yy - 0.38, yy + 0.38], color="black", lw=2)
            end = max(end, r["target"])
        left.text(end + 0.04, yy, f"{r['ratio']:.2f}x", va="center", fontsize=8)
    left.axvline(1.0, color="#999999", lw=0.8, ls="--")
    left.set_yticks(y)
    left.set_yticklabels(names, fontsize=8)
    left.set_xlabel("ratio to the baseline (time; lower is better)")
    left.set_title(
        "Against plain Odoo / helpdesk_mgmt (green: meets the black target, "
        "red: misses, grey: no target)",
        fontsize=9,
    )
    left.set_xlim(0, max(max(ratios) * 1.18, 1.6))

    sizes = [b["lines"] for b in balance]
    ours = [b["addon"]["ms"] for b in balance]
    right.plot(sizes, ours, "o-", label="support_credit_balance")
    right.plot(
        sizes,
        [b["baseline"]["ms"] for b in balance],
        "s--",
        label="a plain stored field",
    )
    right.set_xscale("log")
    right.set_ylim(0, max(ours) * 1.8)
    right.set_xlabel("ledger lines of the wallet")
    right.set_ylabel("median ms per read")
    right.set_title("Balance read as the ledger grows", fontsize=9)
    for b in balance:
        right.annotate(
            f"{b['addon']['queries']:g} q",
            (b["lines"], b["addon"]["ms"]),
            textcoords="offset points",
            xytext=(0, 7),
            fontsize=7,
            ha="center",
        )
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle(
        f"helpdesk_premium_support benchmarks, {machine['date']}, "
        f"{machine['cores']} cores, medians",
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(png, dpi=80, bbox_inches="tight")


def machine(args):
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = round(int(line.split()[1]) / 1024 / 1024)
    postgres = subprocess.run(
        ["psql", "-Atc", "SHOW server_version", "postgres"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    import odoo.release

    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": len(
            [
                1
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("processor")
            ]
        ),
        "memory_gb": memory,
        "postgres": f"PostgreSQL {postgres.split()[0] if postgres else '?'}",
        "odoo": odoo.release.version,
        "python": platform.python_version(),
        "workers": args.workers,
    }
    Path(args.out).write_text(json.dumps(info, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--conf", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--kind", required=True, choices=["addon", "baseline"])
    p.add_argument("--plan", required=True)
    p = sub.add_parser("orm")
    p.add_argument("--conf", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--base-db", required=True)
    p.add_argument("--big-partner", type=int, required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("http")
    p.add_argument("--url", required=True)
    p.add_argument("--plan", required=True)
    p.add_argument("--base-url", required=True)
    p.add_argument("--base-plan", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("machine")
    p.add_argument("--workers", type=int, required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("report")
    p.add_argument("--results-dir", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--png", required=True)
    args = parser.parse_args()
    return {
        "seed": seed,
        "orm": orm,
        "http": http,
        "machine": machine,
        "report": report,
    }[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
