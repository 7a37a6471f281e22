#!/usr/bin/env python3
# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The parts of tools/loadtest, one sub-command each.

    loadtest.py seed   --conf C --db D --plan P   the scenarios' data (python3, Odoo)
    loadtest.py drive  --plan P --url U --scenario S --out R
                                                  the HTTP load (python with locust)
    loadtest.py check  --db D --plan P --scenario S --results R --log L
                                                  invariants in SQL and the server log
    loadtest.py hash   --db D                     digest of every ledger line
    loadtest.py report --results-dir W            the results table

Only ``seed`` imports Odoo and only ``drive`` imports locust: the load runs in
a virtual environment of its own, so that locust's gevent, greenlet and Flask
never meet Odoo's pinned versions."""

import argparse
import functools
import json
import random
import re
import sys
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import seeding

PASSWORD = "load-test-portal"  # noqa: S105 - throw-away database on loopback
ALIAS_DOMAIN = "loadtest.example"
PREMIUM_ALIAS = "premium"
SCENARIOS = {
    "race": "50 acceptances at once, one wallet funded for 20",
    "spread": "200 acceptances, 50 wallets, 16 clients",
    "mail": "500 emails, 8 senders, 5 % delivered twice",
}
RACE_TICKETS, RACE_FUNDS = 50, 20
SPREAD_WALLETS, SPREAD_TICKETS_PER_WALLET, SPREAD_CLIENTS = 50, 4, 16
MAIL_MESSAGES, MAIL_SENDERS, MAIL_DUPLICATE_RATE = 500, 8, 0.05
MAIL_INVALID = 50  # unknown sender or no login in the subject


# ----------------------------------------------------------------------------
# seed: runs in the Odoo python
# ----------------------------------------------------------------------------
def seed(args):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.conf, "-d", args.db], setup_logging=True)
    rng = random.Random(7)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        plan = _seed(env, rng)
        cr.commit()
    Path(args.plan).write_text(json.dumps(plan, indent=1))


def _seed(env, rng):
    company = env.company
    if not env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)]):
        domain = env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})
        company.alias_domain_id = domain
    staff = seeding.create_agent(env, "Load Test Agent", "loadtest_agent")
    team_values = {"name": "Premium Support", "alias_name": PREMIUM_ALIAS}
    if "is_premium" in env["helpdesk.ticket.team"]._fields:
        team_values["is_premium"] = True
    premium_team = env["helpdesk.ticket.team"].create(team_values)
    pack_1, pack_10 = (
        env.ref(
            f"helpdesk_premium_support.product_premium_support_{n}"
        ).product_variant_id
        for n in (1, 10)
    )

    def customers(prefix, count, contacts):
        slug = prefix.lower()
        return seeding.create_customers(
            env,
            {
                f"{prefix} {n:02d} Ltd": [
                    (f"{slug}{n:02d}c{c}", f"{slug}{n:02d}c{c}@customer{n:02d}.example")
                    for c in range(contacts)
                ]
                for n in range(count)
            },
        )

    def tickets_for(partners):
        return seeding.create_requests(
            env, staff, premium_team, partners, "Load test request", cost=True
        )

    # race: 50 contacts of one company, one ticket each, 20 credits
    race_companies, race_users = customers("Race", 1, RACE_TICKETS)
    seeding.confirm_order(env, staff, race_companies, pack_10, RACE_FUNDS // 10)
    race_tickets = tickets_for(race_users.partner_id)
    plan = {
        "race": {
            "partner_id": race_companies.id,
            "funds": RACE_FUNDS,
            "tickets": [
                {"id": t.id, "login": u.login}
                for t, u in zip(race_tickets, race_users, strict=True)
            ],
        }
    }

    # spread: 50 companies with two contacts each, 4 tickets per company, the
    # wallets funded with 0 to 5 credits by orders of 1-credit packs
    spread_companies, spread_users = customers("Spread", SPREAD_WALLETS, 2)
    wallets = []
    for n, partner in enumerate(spread_companies):
        funds = n % 6
        if funds:
            seeding.confirm_order(env, staff, partner, pack_1, funds)
        contacts = spread_users[2 * n : 2 * n + 2]
        tickets = tickets_for(
            [contacts[k % 2].partner_id for k in range(SPREAD_TICKETS_PER_WALLET)]
        )
        wallets.append(
            {
                "partner_id": partner.id,
                "funds": funds,
                "logins": contacts.mapped("login"),
                "tickets": tickets.ids,
            }
        )
    plan["spread"] = {"wallets": wallets}

    # mail: raw emails to the premium alias from the spread contacts
    plan["mail"] = _mail_plan(spread_users, rng)
    plan["password"] = PASSWORD
    seeding.share_password(env, race_users | spread_users, PASSWORD)
    plan["premium_team_id"] = premium_team.id
    return plan


def _mail_plan(users, rng):
    alias = f"{PREMIUM_ALIAS}@{ALIAS_DOMAIN}"
    messages = []
    for n in range(MAIL_MESSAGES):
        user = users[n % len(users)]
        kind = "valid"
        sender, subject = user.email, f"[{user.login}] Request {n}: the export fails"
        if n % (2 * MAIL_MESSAGES // MAIL_INVALID) == 1:
            kind = "unknown_sender"
            sender = f"stranger{n}@elsewhere.example"
        elif n % (2 * MAIL_MESSAGES // MAIL_INVALID) == 11:
            kind = "no_login"
            subject = f"Request {n}: the export fails"
        msg = EmailMessage()
        msg["From"] = f'"{user.name}" <{sender}>'
        msg["To"] = alias
        msg["Subject"] = subject
        msg["Date"] = format_datetime(datetime.now().astimezone())
        msg["Message-Id"] = make_msgid(f"load{n}", domain="customer.example")
        msg.set_content(f"Hello,\n\nrequest number {n}: the nightly export fails.\n")
        messages.append(
            {"message_id": msg["Message-Id"], "kind": kind, "raw": msg.as_string()}
        )
    # deliveries: every message once, round robin over the senders; 5 % of them
    # twice, half of those at the same moment from another sender (two aliases
    # or two MX hosts) and half later from the same sender (an MTA retry)
    queues = [[] for _n in range(MAIL_SENDERS)]
    for n in range(MAIL_MESSAGES):
        queues[n % MAIL_SENDERS].append(n)
    duplicated = rng.sample(
        range(MAIL_MESSAGES), int(MAIL_MESSAGES * MAIL_DUPLICATE_RATE)
    )
    concurrent = set(duplicated[: len(duplicated) // 2])
    for n in duplicated:
        sender, slot = n % MAIL_SENDERS, n // MAIL_SENDERS
        if n in concurrent:
            other = queues[(sender + 1) % MAIL_SENDERS]
            other.insert(min(slot, len(other)), n)
        else:
            queues[sender].append(n)
    return {
        "alias": alias,
        "messages": messages,
        "queues": queues,
        "duplicated": sorted(duplicated),
        "concurrent": sorted(concurrent),
    }


# ----------------------------------------------------------------------------
# drive: runs in the locust venv
# ----------------------------------------------------------------------------
def drive(args):
    from gevent import monkey

    monkey.patch_all()
    import gevent
    import gevent.event
    from gevent.lock import Semaphore
    from locust import User, events, task
    from locust.clients import HttpSession
    from locust.env import Environment
    from locust.exception import StopUser

    plan = json.loads(Path(args.plan).read_text())
    scenario = args.scenario
    outcomes = []
    deadline = time.monotonic() + args.timeout

    def csrf(html):
        match = re.search(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"', html)
        return match and match.group(1)

    class Portal:
        """One browser: its own cookie jar, logged in as a portal user with the
        CSRF token of the login page."""

        def __init__(self, user, login):
            self.client = HttpSession(args.url, events.request, user)
            page = self.client.get("/web/login", name="GET /web/login")
            response = self.client.post(
                "/web/login",
                data={
                    "login": login,
                    "password": plan["password"],
                    "csrf_token": csrf(page.text),
                    "redirect": "/my",
                },
                name="POST /web/login",
                allow_redirects=False,
            )
            if response.status_code != 303 or "/web/login" in response.headers.get(
                "Location", ""
            ):
                raise RuntimeError(f"login {login} failed: {response.status_code}")

        def load_ticket(self, ticket_id):
            page = self.client.get(
                f"/my/ticket/{ticket_id}", name="GET /my/ticket/<id>"
            )
            version = re.search(r'name="cost_version"\s+value="(\d+)"', page.text)
            return csrf(page.text), version and version.group(1)

        def accept(self, ticket_id, token, version):
            with self.client.post(
                f"/my/ticket/{ticket_id}/cost/approve",
                data={"csrf_token": token, "cost_version": version},
                name="POST /my/ticket/<id>/cost/approve",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                location = response.headers.get("Location", "")
                if response.status_code >= 500:
                    outcome = "5xx"
                    response.failure(f"HTTP {response.status_code}")
                elif response.status_code == 303 and "cost_error" in location:
                    outcome = "not_enough" if "Not+enough" in location else "refused"
                    response.success()
                elif response.status_code == 303 and location.endswith(
                    f"/my/ticket/{ticket_id}"
                ):
                    outcome = "accepted"
                    response.success()
                else:
                    outcome = f"HTTP {response.status_code} {location}"
                    response.failure(outcome)
                outcomes.append(
                    {
                        "ticket": ticket_id,
                        "outcome": outcome,
                        "status": response.status_code,
                    }
                )

    lock_work = Semaphore()

    def once(job):
        """A locust task that runs once per user: an error is an outcome of
        the scenario, never a reason to run the task again."""

        @functools.wraps(job)
        def once_only(user):
            try:
                job(user)
            except Exception as error:  # noqa: BLE001 - reported in the results
                outcomes.append({"outcome": "client error", "error": repr(error)[:300]})
            raise StopUser()

        return task(once_only)

    if scenario == "race":
        tickets = list(plan["race"]["tickets"])
        ready = gevent.event.Event()
        arrived = []

        class RaceCustomer(User):
            host = args.url

            @once
            def accept_at_once(self):
                with lock_work:
                    job = tickets.pop()
                try:
                    portal = Portal(self, job["login"])
                    token, version = portal.load_ticket(job["id"])
                finally:
                    # every customer has its page loaded: all press Accept
                    arrived.append(job)
                    if len(arrived) == len(plan["race"]["tickets"]):
                        ready.set()
                ready.wait(timeout=max(deadline - time.monotonic(), 1))
                portal.accept(job["id"], token, version)

        user_classes, count = [RaceCustomer], len(tickets)

    elif scenario == "spread":
        # the 4 tickets of a wallet go to 2 clients, 2 each, which hold one
        # contact's session each: a wallet is spent from two browsers at once
        wallets = plan["spread"]["wallets"]
        work = [[] for _n in range(SPREAD_CLIENTS)]
        for w, wallet in enumerate(wallets):
            pair = w % (SPREAD_CLIENTS // 2)
            for k, ticket_id in enumerate(wallet["tickets"]):
                work[2 * pair + k % 2].append((wallet["logins"][k % 2], ticket_id))
        for jobs in work:
            random.Random(len(jobs)).shuffle(jobs)

        class SpreadCustomer(User):
            host = args.url

            @once
            def accept_my_share(self):
                with lock_work:
                    jobs = work.pop()
                portals = {}
                for login, ticket_id in jobs:
                    if time.monotonic() > deadline:
                        break
                    if login not in portals:
                        portals[login] = Portal(self, login)
                    portal = portals[login]
                    token, version = portal.load_ticket(ticket_id)
                    portal.accept(ticket_id, token, version)

        user_classes, count = [SpreadCustomer], SPREAD_CLIENTS

    elif scenario == "mail":
        import xmlrpc.client

        messages = plan["mail"]["messages"]
        queues = list(plan["mail"]["queues"])

        class MailGate(User):
            """What odoo-mailgate does for each delivery: message_process
            over XML-RPC as the administrator."""

            host = args.url

            @once
            def deliver_my_queue(self):
                with lock_work:
                    queue = queues.pop()
                proxy = xmlrpc.client.ServerProxy(
                    f"{self.host}/xmlrpc/2/object", allow_none=True
                )
                for n in queue:
                    if time.monotonic() > deadline:
                        break
                    raw = messages[n]["raw"].encode()
                    start = time.perf_counter()
                    error, result = None, None
                    try:
                        result = proxy.execute_kw(
                            args.db,
                            2,
                            "admin",
                            "mail.thread",
                            "message_process",
                            [False, xmlrpc.client.Binary(raw)],
                            {},
                        )
                    except xmlrpc.client.Fault as fault:
                        error = fault
                    except xmlrpc.client.ProtocolError as fault:
                        error = fault
                    events.request.fire(
                        request_type="XML-RPC",
                        name="mail.thread message_process",
                        response_time=(time.perf_counter() - start) * 1000,
                        response_length=len(raw),
                        exception=error,
                        context={},
                    )
                    outcomes.append(
                        {
                            "message": n,
                            "result": result if isinstance(result, int) else None,
                            "error": str(error)[:300] if error else None,
                            "status": getattr(error, "errcode", None),
                        }
                    )

        user_classes, count = [MailGate], MAIL_SENDERS
    else:
        raise SystemExit(f"unknown scenario {scenario}")

    env = Environment(user_classes=user_classes, events=events)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(count, spawn_rate=count)
    gevent.sleep(1)
    while runner.user_count and time.monotonic() < deadline:
        gevent.sleep(0.2)
    elapsed = time.monotonic() - started
    runner.quit()
    stats = []
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        stats.append(
            {
                "name": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "median_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": entry.max_response_time,
            }
        )
    errors = [
        {"name": e.name, "error": str(e.error)[:300], "count": e.occurrences}
        for e in env.stats.errors.values()
    ]
    Path(args.out).write_text(
        json.dumps(
            {
                "scenario": scenario,
                "elapsed": elapsed,
                "timed_out": time.monotonic() >= deadline,
                "outcomes": outcomes,
                "stats": stats,
                "errors": errors,
            },
            indent=1,
        )
    )


# ----------------------------------------------------------------------------
# check: SQL invariants (psycopg2 only) and the server log
# ----------------------------------------------------------------------------
def _connect(db):
    import psycopg2

    return psycopg2.connect(dbname=db)


def ledger_invariants(cr):
    """Problems found in the whole database: [(invariant, detail)]."""
    problems = []
    cr.execute(
        """
        SELECT w.id, w.balance, COALESCE(SUM(l.amount), 0)
          FROM support_credit_wallet w
     LEFT JOIN support_credit_line l ON l.wallet_id = w.id
      GROUP BY w.id
        HAVING w.balance <> COALESCE(SUM(l.amount), 0)
        """
    )
    problems += [
        ("ledger sums to balances", f"wallet {w}: balance {b}, ledger {s}")
        for w, b, s in cr.fetchall()
    ]
    cr.execute(
        """
        SELECT 'wallet ' || id, balance FROM support_credit_wallet WHERE balance < 0
        UNION ALL
        SELECT 'line ' || id, balance_after FROM (
            SELECT id, balance_after,
                   SUM(amount) OVER (PARTITION BY wallet_id ORDER BY id) AS running
              FROM support_credit_line) l
         WHERE balance_after < 0 OR balance_after <> running
        """
    )
    problems += [
        ("nothing negative", f"{what}: {value}") for what, value in cr.fetchall()
    ]
    cr.execute(
        """
        SELECT t.id, t.approval_state, COUNT(l.id), COALESCE(-SUM(l.amount), 0),
               t.credit_cost
          FROM helpdesk_ticket t
     LEFT JOIN support_credit_line l ON l.ticket_id = t.id AND l.kind = 'spend'
         WHERE t.approval_state = 'approved' OR l.id IS NOT NULL
      GROUP BY t.id
        HAVING COUNT(l.id) <> 1 OR t.approval_state <> 'approved'
            OR -SUM(l.amount) <> t.credit_cost
        """
    )
    problems += [
        (
            "one debit per accepted ticket",
            f"ticket {t} ({state}): {n} debit(s) of {total} for a cost of {cost}",
        )
        for t, state, n, total, cost in cr.fetchall()
    ]
    cr.execute(
        """
        SELECT sol.id, so.state, sol.product_uom_qty * pt.support_credits,
               COUNT(l.id) FILTER (WHERE l.kind = 'purchase'),
               COALESCE(SUM(l.amount), 0)
          FROM sale_order_line sol
          JOIN sale_order so ON so.id = sol.order_id
          JOIN product_product pp ON pp.id = sol.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
     LEFT JOIN support_credit_line l ON l.sale_line_id = sol.id
         WHERE pt.support_credits > 0
      GROUP BY sol.id, so.state, pt.support_credits
        HAVING (so.state = 'sale'
                AND (COUNT(l.id) FILTER (WHERE l.kind = 'purchase') <> 1
                     OR COALESCE(SUM(l.amount), 0)
                        <> sol.product_uom_qty * pt.support_credits))
            OR (so.state <> 'sale' AND COALESCE(SUM(l.amount), 0) <> 0)
        """
    )
    problems += [
        (
            "one grant per confirmed pack line",
            f"order line {sol} ({state}): {n} grant(s), net {net} for {due} due",
        )
        for sol, state, due, n, net in cr.fetchall()
    ]
    return problems


def scan_log(path, offset):
    """Tracebacks and errors logged since ``offset``; retries counted."""
    text = Path(path).read_bytes()[offset:].decode("utf-8", "replace")
    lines = text.splitlines()
    # A serialization failure is logged by the cursor as a "bad query" ERROR
    # followed by PostgreSQL's message, then retried by Odoo: counted apart.
    # So is the unique Message-Id of premium requests stopping a copy of an
    # email processed at the same moment, which is retried the same way.
    expected = (
        "could not serialize access",
        "helpdesk_ticket_premium_message_unique",
    )
    conflicts, errors = 0, []
    for n, line in enumerate(lines):
        if not re.search(r" (ERROR|CRITICAL) ", line):
            continue
        following = "\n".join(lines[n + 1 : n + 12])
        if " odoo.sql_db: bad query:" in line and any(
            reason in following for reason in expected
        ):
            conflicts += 1
        else:
            errors.append(line[:300])
    return {
        "tracebacks": sum(1 for line in lines if line.startswith("Traceback")),
        "errors": errors,
        "conflicts": conflicts,
        "retries": sum(1 for line in lines if "tries left, try again" in line),
        "gave_up": sum(
            1 for line in lines if "maximum number of tries reached" in line
        ),
        "size": offset + len(text.encode()),
    }


def check(args):
    plan = json.loads(Path(args.plan).read_text())
    results = json.loads(Path(args.results).read_text())
    scenario = args.scenario
    outcomes = results["outcomes"]
    verdicts = []  # (name, ok, detail)

    def expect(name, ok, detail=""):
        verdicts.append((name, bool(ok), detail))

    conn = _connect(args.db)
    with conn, conn.cursor() as cr:
        if scenario in ("race", "spread"):
            counts = {}
            for outcome in outcomes:
                counts[outcome["outcome"]] = counts.get(outcome["outcome"], 0) + 1
            fives = counts.get("5xx", 0)
            if scenario == "race":
                tickets = [t["id"] for t in plan["race"]["tickets"]]
                partners = [plan["race"]["partner_id"]]
                want_debits = min(RACE_FUNDS, len(tickets))
            else:
                wallets = plan["spread"]["wallets"]
                tickets = [t for w in wallets for t in w["tickets"]]
                partners = [w["partner_id"] for w in wallets]
                want_debits = sum(min(w["funds"], len(w["tickets"])) for w in wallets)
            cr.execute(
                "SELECT COUNT(*) FROM support_credit_line"
                " WHERE kind = 'spend' AND ticket_id = ANY(%s)",
                [tickets],
            )
            debits = cr.fetchone()[0]
            cr.execute(
                "SELECT COUNT(*) FROM helpdesk_ticket WHERE id = ANY(%s)"
                " AND approval_state = 'approved'",
                [tickets],
            )
            approved = cr.fetchone()[0]
            expect(
                f"{len(tickets)} acceptances answered",
                len(outcomes) == len(tickets),
                f"{len(outcomes)} answered",
            )
            expect(
                f"exactly {want_debits} debits",
                debits == want_debits and approved == want_debits,
                f"{debits} debits, {approved} tickets accepted",
            )
            expect(
                f"{len(tickets) - want_debits} clean refusals",
                counts.get("not_enough", 0) == len(tickets) - want_debits,
                ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
            )
            expect("no 5xx", fives == 0, f"{fives} answers 5xx")
            summary = (
                f"{debits} debited, {counts.get('not_enough', 0)} refused, {fives} 5xx"
            )
            cr.execute(
                """
                SELECT w.partner_id, w.balance FROM support_credit_wallet w
                 WHERE w.partner_id = ANY(%s)
                """,
                [partners],
            )
            balances = dict(cr.fetchall())
            if scenario == "race":
                expect(
                    "wallet emptied",
                    balances.get(partners[0]) == RACE_FUNDS - want_debits,
                    f"balance {balances.get(partners[0])}",
                )
            else:
                wrong = [
                    w["partner_id"]
                    for w in wallets
                    if balances.get(w["partner_id"], 0)
                    != w["funds"] - min(w["funds"], len(w["tickets"]))
                ]
                summary += f", {len(wallets) - len(wrong)}/{len(wallets)} wallets right"
                expect(
                    "every wallet consistent",
                    not wrong,
                    f"{len(wallets) - len(wrong)}/{len(wallets)} wallets at "
                    "funds - debits",
                )
        else:
            messages = plan["mail"]["messages"]
            cr.execute(
                "SELECT 1 FROM ir_model WHERE model = 'helpdesk.premium.mail.refusal'"
            )
            intake = bool(cr.fetchone())
            ids = [m["message_id"] for m in messages]
            cr.execute(
                """
                SELECT message_id, COUNT(DISTINCT res_id)
                  FROM mail_message
                 WHERE model = 'helpdesk.ticket' AND message_id = ANY(%s)
                   AND message_type = 'email'
              GROUP BY message_id
                """,
                [ids],
            )
            tickets = dict(cr.fetchall())
            refused = {}
            if intake:
                cr.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'helpdesk_premium_mail_refusal'"
                    " AND column_name = 'message_id'"
                )
                if cr.fetchone():
                    cr.execute(
                        "SELECT message_id, COUNT(*) FROM helpdesk_premium_mail_refusal"
                        " WHERE message_id = ANY(%s) GROUP BY message_id",
                        [ids],
                    )
                    refused = dict(cr.fetchall())
            accepted = [
                m["message_id"] for m in messages if not intake or m["kind"] == "valid"
            ]
            rejected = [
                m["message_id"] for m in messages if m["message_id"] not in accepted
            ]
            lost = [i for i in accepted if tickets.get(i, 0) == 0]
            doubled = [i for i in accepted if tickets.get(i, 0) > 1]
            leaked = [i for i in rejected if tickets.get(i, 0)]
            deliveries = sum(len(q) for q in plan["mail"]["queues"])
            errors = [o for o in outcomes if o.get("error")]
            fives = [o for o in outcomes if (o.get("status") or 0) >= 500]
            rule = (
                "intake rules of the premium alias"
                if intake
                else "no intake rules installed: every message on the alias"
            )
            expect(
                f"{deliveries} deliveries answered",
                len(outcomes) == deliveries,
                f"{len(outcomes)} answered, {len(errors)} with an error",
            )
            summary = (
                f"{len(accepted) - len(lost) - len(doubled)}/{len(accepted)} "
                "one ticket, "
                f"{len(doubled)} two, {len(lost)} lost"
            )
            expect(
                f"one ticket per accepted message ({len(accepted)})",
                not doubled and not lost,
                f"{len(accepted) - len(lost) - len(doubled)} with one ticket, "
                f"{len(doubled)} with two or more, {len(lost)} with none ({rule})",
            )
            if intake:
                unlogged = [i for i in rejected if not refused.get(i)]
                twice = [i for i in rejected if refused.get(i, 0) > 1]
                expect(
                    f"no ticket for a refused message ({len(rejected)})",
                    not leaked,
                    f"{len(leaked)} refused messages made a ticket",
                )
                expect(
                    "each refused message logged once",
                    not unlogged and not twice,
                    f"{len(rejected) - len(unlogged) - len(twice)} once, "
                    f"{len(twice)} twice or more, {len(unlogged)} not logged",
                )
            expect("no 5xx", not fives, f"{len(fives)} answers 5xx")
        for invariant, detail in _grouped(ledger_invariants(cr)):
            expect(invariant, not detail, detail or "holds")
    conn.close()
    log = scan_log(args.log, args.log_offset)
    expect(
        "no traceback in the server log",
        not log["tracebacks"] and not log["errors"],
        f"{log['tracebacks']} tracebacks, {len(log['errors'])} errors; "
        f"{log['conflicts']} serialization conflicts, {log['retries']} retried, "
        f"{log['gave_up']} gave up",
    )
    results["checks"] = verdicts
    results["summary"] = summary
    results["log"] = log
    Path(args.results).write_text(json.dumps(results, indent=1))
    for name, ok, detail in verdicts:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    for line in log["errors"][:5]:
        print(f"       log: {line}")
    Path(args.log_offset_file).write_text(str(log["size"]))
    return 0 if all(ok for _name, ok, _detail in verdicts) else 1


def _grouped(problems):
    names = [
        "ledger sums to balances",
        "nothing negative",
        "one debit per accepted ticket",
        "one grant per confirmed pack line",
    ]
    for name in names:
        found = [detail for invariant, detail in problems if invariant == name]
        yield name, (f"{len(found)} problem(s), e.g. {found[0]}" if found else "")


# ----------------------------------------------------------------------------
# hash: digest of the ledger (psycopg2 only)
# ----------------------------------------------------------------------------
LEDGER_DIGEST = """
    SELECT COUNT(*),
           md5(COALESCE(string_agg(
               (to_jsonb(l) - 'write_date' - 'write_uid')::text, E'\\n'
               ORDER BY l.id), ''))
      FROM support_credit_line l
"""


def ledger_hash(args):
    conn = _connect(args.db)
    with conn, conn.cursor() as cr:
        cr.execute(LEDGER_DIGEST)
        count, digest = cr.fetchone()
        cr.execute(
            "SELECT md5(COALESCE(string_agg(id || ':' || balance, ','"
            " ORDER BY id), '')) FROM support_credit_wallet"
        )
        wallets = cr.fetchone()[0]
    conn.close()
    print(f"{count} {digest} {wallets}")


# ----------------------------------------------------------------------------
# launcher: the script that starts the multi-worker server
# ----------------------------------------------------------------------------
LAUNCHER = """#!{python}
# Starts Odoo. The prefork server starts its websocket worker by running its
# own argv[0] again with "gevent": that needs a script, not "python3 -m odoo".
# Where gevent cannot monkey-patch in this python, the websocket worker would
# crash and be restarted in a loop, burning the CPU the load test measures:
# it says so once and idles instead (no scenario uses websockets).
import os
import sys
import time

if sys.argv[1:2] == ["gevent"]:
    try:
        from odoo.cli.command import main
    except Exception as error:
        print(f"websocket worker unavailable, idle instead: {{error!r}}", flush=True)
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(1)
        sys.exit(0)
else:
    from odoo.cli.command import main
main()
"""


def launcher(args):
    path = Path(args.out)
    path.write_text(LAUNCHER.format(python=args.python))
    path.chmod(0o755)


# ----------------------------------------------------------------------------
# report: the results table
# ----------------------------------------------------------------------------
def report(args):
    work = Path(args.results_dir)
    rows = []
    all_ok = True
    for scenario, title in SCENARIOS.items():
        path = work / f"{scenario}.json"
        if not path.exists():
            rows.append((title, "not run", "", "", "", ""))
            all_ok = False
            continue
        results = json.loads(path.read_text())
        checks = results.get("checks", [])
        ok = checks and all(c[1] for c in checks)
        all_ok &= bool(ok)
        main = [
            s
            for s in results["stats"]
            if "approve" in s["name"] or "message_process" in s["name"]
        ]
        main = main[0] if main else {"requests": 0, "median_ms": 0, "p95_ms": 0}
        rows.append(
            (
                title,
                "PASS" if ok else "FAIL",
                f"{main['requests']} in {results['elapsed']:.1f} s",
                f"{main['median_ms']:.0f} / {main['p95_ms']:.0f} ms",
                results.get("summary", ""),
                f"{sum(1 for c in checks if c[1])}/{len(checks)}",
            )
        )
    upgrade = work / "upgrade.txt"
    if upgrade.exists():
        before, after = upgrade.read_text().splitlines()[:2]
        same = before == after
        all_ok &= same
        count = before.split()[0]
        rows.append(
            (
                "upgrade keeps every ledger line",
                "PASS" if same else "FAIL",
                "odoo -u",
                "",
                f"{count} lines {'identical' if same else 'CHANGED'}",
                "1/1" if same else "0/1",
            )
        )
    header = ("scenario", "result", "requests", "median / p95", "outcome", "checks")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    print(line)
    print(
        "| "
        + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
        + " |"
    )
    print(line)
    for row in rows:
        print(
            "| "
            + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            + " |"
        )
    print(line)
    return 0 if all_ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--conf", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--plan", required=True)
    p = sub.add_parser("drive")
    p.add_argument("--plan", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=240)
    p = sub.add_parser("check")
    p.add_argument("--db", required=True)
    p.add_argument("--plan", required=True)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--results", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--log-offset-file", required=True)
    p = sub.add_parser("hash")
    p.add_argument("--db", required=True)
    p = sub.add_parser("report")
    p.add_argument("--results-dir", required=True)
    p = sub.add_parser("launcher")
    p.add_argument("--python", required=True)
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "check":
        offset_file = Path(args.log_offset_file)
        args.log_offset = int(offset_file.read_text()) if offset_file.exists() else 0
    return {
        "seed": seed,
        "drive": drive,
        "check": check,
        "hash": ledger_hash,
        "report": report,
        "launcher": launcher,
    }[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
