#!/usr/bin/env python3
# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What premium email intake costs, next to plain helpdesk_mgmt.

Feeds the same RFC 822 messages through ``mail.thread.message_process`` (what
fetchmail and the mailgate script call) to the alias of a plain helpdesk_mgmt
team and to the alias of a premium team, interleaved, in one run, and prints
the SQL queries and the time per message, as ratios:

* accepted: a valid premium request vs the same message on the plain alias
  (target: at most 1.15x);
* refused: unknown sender, username missing, auto-reply; each vs an accepted
  premium request (target: cheaper) and vs the plain alias.

The plain team lives in the same database (a team that is not premium: this
addon's code passes it through), or, with --plain-db, in a database that has
helpdesk_mgmt without this addon. The acknowledgements and refusal replies
are sent afterwards by a scheduled action: their cost is printed apart.
Everything runs in one transaction per database that is rolled back; no email
is sent.

    python3 tools/bench_intake.py --db DB [--plain-db DB2] [--rounds 40]

Settings: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (current user). The
addon is loaded from this checkout."""

import argparse
import getpass
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ADDON = "helpdesk_premium_support"
ROOT = Path(__file__).resolve().parent.parent
WARMUP = 5
SENDERS = 10  # rotated, to stay below Odoo's mail loop detection

MESSAGE = """\
Return-Path: <{sender}>
Received: by mx.customer.test (Postfix, from userid 1001)
\tid 4B1F2C; Wed, 25 Nov 2026 11:00:00 +0100 (CET)
From: {name} <{sender}>
To: {to}
Subject: {subject}
Message-Id: <{msg_id}@customer.test>
Date: Wed, 25 Nov 2026 11:00:00 +0100
MIME-Version: 1.0
{extra}Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Hello,

Since Monday the monthly invoice export stops after two minutes with a
timeout. We need it for the VAT return on Friday.

Regards
--alt
Content-Type: text/html; charset=utf-8

<p>Hello,</p><p>Since Monday the monthly invoice export stops after two
minutes with a timeout. We need it for the VAT return on Friday.</p>
<p>Regards</p>
--alt--
"""

# kind: (sender is a portal user, subject, extra headers)
KINDS = {
    "accepted": (True, "[{login}] Invoice export times out", ""),
    "unknown sender": (False, "[{login}] Invoice export times out", ""),
    "username missing": (True, "Invoice export times out", ""),
    "auto-reply": (
        True,
        "Automatic reply: [{login}] Invoice export",
        "Auto-Submitted: auto-replied\n",
    ),
}


def setup_odoo(args):
    """Configure Odoo for the databases, with this checkout as the addon."""
    import odoo  # noqa: PLC0415 - Odoo is imported once its path is known
    from odoo.tools import config  # noqa: PLC0415

    addons = tempfile.mkdtemp(prefix=f"{ADDON}-bench-")
    os.symlink(ROOT, os.path.join(addons, ADDON))
    config.parse_config(
        [
            f"--addons-path={addons}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--db_user={os.environ.get('PGUSER', getpass.getuser())}",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    return odoo


class Side:
    """One alias to feed: the environment of its database, its portal users."""

    def __init__(self, env, premium):
        self.env = env
        self.cr = env.cr
        self.premium = premium
        self.samples = {}
        installed = env["ir.module.module"].search_count(
            [("name", "=", ADDON), ("state", "=", "installed")]
        )
        if premium and not installed:
            sys.exit(f"bench_intake: {ADDON} is not installed in {env.cr.dbname}")
        self._setup()

    def _setup(self):
        env = self.env
        tag = uuid.uuid4().hex[:8]
        domain = env.company.alias_domain_id or env["mail.alias.domain"].search(
            [], limit=1
        )
        if not domain:
            domain = env["mail.alias.domain"].create({"name": "bench.test"})
        if env.company.alias_domain_id != domain:
            env.company.alias_domain_id = domain
        values = {"name": f"Bench {tag}", "alias_name": f"bench-{tag}"}
        if self.premium:
            values["is_premium"] = True
            # no suspension may run during the measure
            env["helpdesk.support.suspension"].search([]).action_archive()
        self.team = env["helpdesk.ticket.team"].create(values)
        self.to = f"bench-{tag}@{domain.name}"
        portal = env.ref("base.group_portal")
        self.users = env["res.users"].create(
            [
                {
                    "name": f"Customer {n} {tag}",
                    "login": f"cust{n}{tag}",
                    "email": f"cust{n}.{tag}@customer.test",
                    "group_ids": [(6, 0, portal.ids)],
                }
                for n in range(SENDERS)
            ]
        )
        env.flush_all()

    def feed(self, kind, index, record=True):
        known, subject, extra = KINDS[kind]
        user = self.users[index % SENDERS]
        sender = user.email if known else f"stranger{index}@elsewhere.test"
        message = MESSAGE.format(
            sender=sender,
            name=user.name,
            to=self.to,
            subject=subject.format(login=user.login),
            msg_id=uuid.uuid4().hex,
            extra=extra,
        )
        env = self.env
        env.flush_all()
        env.invalidate_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        env["mail.thread"].message_process(None, message)
        env.flush_all()
        elapsed = time.perf_counter() - start
        if record:
            sample = self.samples.setdefault(kind, ([], []))
            sample[0].append(self.cr.sql_log_count - queries)
            sample[1].append(elapsed * 1000)

    def deferred(self):
        """Queries per refusal reply and per acknowledgement, sent later."""
        env = self.env
        costs = []
        for model, domain, send in (
            (
                "helpdesk.premium.mail.refusal",
                [("reply_state", "=", "pending")],
                lambda: env["helpdesk.premium.mail.refusal"]._send_pending_replies(),
            ),
            (
                "helpdesk.ticket",
                [("premium_intake_ack", "=", "pending")],
                lambda: env["helpdesk.ticket"]._cron_premium_mail_intake(limit=10_000),
            ),
        ):
            count = env[model].search_count(domain)
            env.flush_all()
            env.invalidate_all()
            queries = self.cr.sql_log_count
            send()
            env.flush_all()
            costs.append((self.cr.sql_log_count - queries) / max(count, 1))
        return costs


def open_env(odoo, db):
    from odoo.modules.registry import Registry  # noqa: PLC0415

    cr = Registry(db).cursor()
    return odoo.api.Environment(
        cr, odoo.api.SUPERUSER_ID, {"mail_notify_force_send": False}
    )


def median(values):
    return statistics.median(values) if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with the addon")
    parser.add_argument(
        "--plain-db", help="database with helpdesk_mgmt alone (default: --db)"
    )
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    odoo = setup_odoo(args)
    env = open_env(odoo, args.db)
    plain_env = env
    if args.plain_db and args.plain_db != args.db:
        plain_env = open_env(odoo, args.plain_db)
    try:
        plain = Side(plain_env, premium=False)
        premium = Side(env, premium=True)
        for index in range(WARMUP + args.rounds):
            record = index >= WARMUP
            for kind in KINDS:
                plain.feed(kind, index, record)
                premium.feed(kind, index, record)
        per_reply, per_ack = premium.deferred()
    finally:
        for cr in {env.cr, plain_env.cr}:
            cr.rollback()
            cr.close()

    def cost(side, kind):
        queries, times = side.samples[kind]
        return median(queries), median(times)

    base_q, base_t = cost(plain, "accepted")
    acc_q, acc_t = cost(premium, "accepted")
    where = (
        f"database {args.plain_db}, helpdesk_mgmt alone"
        if args.plain_db
        else "a team that is not premium"
    )
    print(
        f"Email intake through message_process: {args.rounds} rounds of each "
        f"message (after {WARMUP} warm-up rounds), medians per message."
    )
    print(f"Plain helpdesk_mgmt: {where}. Premium: database {args.db}.\n")
    header = f"{'message':<18}{'plain q':>9}{'plain ms':>10}"
    header += f"{'premium q':>11}{'premium ms':>12}{'vs plain':>16}{'vs accepted':>16}"
    print(header)
    print("-" * len(header))
    ok = True
    for kind in KINDS:
        plain_q, plain_t = cost(plain, kind)
        q, t = cost(premium, kind)
        line = f"{kind:<18}{plain_q:>9.0f}{plain_t:>10.1f}{q:>11.0f}{t:>12.1f}"
        line += f"{q / plain_q:>8.2f}x {t / plain_t:>5.2f}x"
        if kind == "accepted":
            line += f"{'':>16}"
        else:
            line += f"{q / acc_q:>8.2f}x {t / acc_t:>5.2f}x"
            ok &= q < acc_q
        print(line)
    ratio_q, ratio_t = acc_q / base_q, acc_t / base_t
    ok &= ratio_q <= 1.15
    print(
        f"\naccepted premium / plain: {ratio_q:.2f}x queries, {ratio_t:.2f}x time "
        "(target <= 1.15x)"
    )
    print("refused / accepted premium: see 'vs accepted' (target < 1x)")
    print(
        "The targets are judged on queries; times are medians of wall-clock "
        "milliseconds and move with the machine's load."
    )
    if args.plain_db:
        print(
            "Note: the two databases differ by more than this addon (it brings "
            "sale, website, account...): the time ratio counts them too."
        )
    print(
        f"sent later by the scheduled action: {per_ack:.0f} queries per "
        f"acknowledgement, {per_reply:.0f} per refusal reply"
    )
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
