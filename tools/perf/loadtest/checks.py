# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What must hold after a scenario (Odoo python): its outcomes against the
database, the ledger invariants of the test suite, and a server log free of
errors. Each check is (name, ok, detail)."""

import re
from collections import Counter
from pathlib import Path

from odoo.addons.helpdesk_premium_support.tests.common import (
    check_sale_reconciliation,
    check_wallet_invariants,
)

# A serialization failure is logged by the cursor as a "bad query" ERROR
# followed by PostgreSQL's message, then retried by Odoo: counted apart. So is
# the unique Message-Id of premium requests stopping a copy of an email
# processed at the same moment, which is retried the same way.
RETRIED = ("could not serialize access", "helpdesk_ticket_premium_message_unique")
# what the portal answers when the wallet cannot pay (perf.client)
NO_CREDITS = "cost_error=credits"


def acceptances(env, plan, scenario, outcomes):
    """race and spread: every decision answered, as many debits as the funds
    allow, the others refused for want of credits, wallets at funds - debits."""
    if scenario == "race":
        wallets = [
            {**plan["race"], "tickets": [t["id"] for t in plan["race"]["tickets"]]}
        ]
    else:
        wallets = plan["spread"]["wallets"]
    tickets = [t for w in wallets for t in w["tickets"]]
    want = sum(min(w["funds"], len(w["tickets"])) for w in wallets)
    counts = Counter(o["outcome"] for o in outcomes)
    refused = counts[NO_CREDITS]
    env.cr.execute(
        "SELECT COUNT(*) FILTER (WHERE t.approval_state = 'approved'),"
        "       (SELECT COUNT(*) FROM support_credit_line"
        "         WHERE kind = 'spend' AND ticket_id = ANY(%s))"
        "  FROM helpdesk_ticket t WHERE t.id = ANY(%s)",
        [tickets, tickets],
    )
    approved, debits = env.cr.fetchone()
    env.cr.execute(
        "SELECT partner_id, balance FROM support_credit_wallet"
        " WHERE partner_id = ANY(%s)",
        [[w["partner_id"] for w in wallets]],
    )
    balances = dict(env.cr.fetchall())
    right = sum(
        balances.get(w["partner_id"], 0)
        == w["funds"] - min(w["funds"], len(w["tickets"]))
        for w in wallets
    )
    answers = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    checks = [
        (f"{len(tickets)} decisions answered", len(outcomes) == len(tickets), answers),
        (
            f"exactly {want} debits",
            debits == want == approved == counts["accepted"],
            f"{debits} debits, {approved} tickets accepted",
        ),
        (
            f"{len(tickets) - want} refused for want of credits",
            refused == len(tickets) - want,
            answers,
        ),
        ("no 5xx", not counts["5xx"], f"{counts['5xx']} answers 5xx"),
        (
            "every wallet at its funds minus its debits",
            right == len(wallets),
            f"{right}/{len(wallets)} wallets",
        ),
    ]
    summary = f"{debits} debited, {refused} refused, {counts['5xx']} 5xx"
    if scenario == "spread":
        summary += f", {right}/{len(wallets)} wallets right"
    return checks, summary


def mail(env, plan, outcomes):
    """mail: one ticket per accepted email, none for a refused one, each
    refused email logged once, none kept as failed."""
    messages = plan["mail"]["messages"]
    ids = [m["message_id"] for m in messages]
    env.cr.execute(
        "SELECT message_id, COUNT(DISTINCT res_id) FROM mail_message"
        " WHERE model = 'helpdesk.ticket' AND message_type = 'email'"
        "   AND message_id = ANY(%s) GROUP BY message_id",
        [ids],
    )
    tickets = Counter(dict(env.cr.fetchall()))
    env.cr.execute(
        "SELECT message_id, state = 'failed', COUNT(*)"
        "  FROM helpdesk_premium_mail_refusal WHERE message_id = ANY(%s)"
        " GROUP BY message_id, state = 'failed'",
        [ids],
    )
    logged, failed = Counter(), Counter()
    for message_id, is_failure, count in env.cr.fetchall():
        (failed if is_failure else logged)[message_id] += count
    accepted = [m["message_id"] for m in messages if m["kind"] == "valid"]
    refused = [m["message_id"] for m in messages if m["kind"] != "valid"]
    one = sum(tickets[i] == 1 for i in accepted)
    doubled = sum(tickets[i] > 1 for i in accepted)
    deliveries = sum(len(q) for q in plan["mail"]["queues"])
    errors = sum(1 for o in outcomes if o.get("error"))
    fives = sum(1 for o in outcomes if (o.get("status") or 0) >= 500)
    checks = [
        (
            f"{deliveries} deliveries answered",
            len(outcomes) == deliveries,
            f"{len(outcomes)} answered, {errors} with an error",
        ),
        (
            f"one ticket per accepted email ({len(accepted)})",
            one == len(accepted),
            f"{one} with one ticket, {doubled} with more, "
            f"{len(accepted) - one - doubled} with none",
        ),
        (
            f"no ticket for a refused email ({len(refused)})",
            not any(tickets[i] for i in refused),
            f"{sum(1 for i in refused if tickets[i])} refused emails made a ticket",
        ),
        (
            "each refused email logged once",
            all(logged[i] == 1 for i in refused),
            f"{sum(logged[i] == 1 for i in refused)}/{len(refused)} logged once",
        ),
        ("no email kept as failed", not failed, f"{sum(failed.values())} failed"),
        ("no 5xx", not fives, f"{fives} answers 5xx"),
    ]
    summary = f"{one}/{len(accepted)} one ticket, {doubled} two, "
    summary += f"{len(accepted) - one - doubled} lost"
    return checks, summary


def ledger(env):
    """The test suite's invariants of the wallets and of their sale
    documents, and one debit of its cost per accepted ticket."""
    env.cr.execute(
        """
        SELECT t.id, t.approval_state, COUNT(l.id), COALESCE(-SUM(l.amount), 0)
          FROM helpdesk_ticket t
     LEFT JOIN support_credit_line l ON l.ticket_id = t.id AND l.kind = 'spend'
         WHERE t.approval_state = 'approved' OR l.id IS NOT NULL
      GROUP BY t.id
        HAVING COUNT(l.id) <> 1 OR t.approval_state <> 'approved'
            OR -SUM(l.amount) <> t.credit_cost
        """
    )
    debits = [
        f"ticket {t} ({s}): {n} debit(s) of {a}" for t, s, n, a in env.cr.fetchall()
    ]
    found = {
        "wallets sum to their ledger, nothing negative": check_wallet_invariants(env),
        "wallets match their sale documents": check_sale_reconciliation(env),
        "one debit of its cost per accepted ticket": debits,
    }
    return [
        (name, not problems, f"{len(problems)} problem(s), e.g. {problems[0]}")
        if problems
        else (name, True, "holds")
        for name, problems in found.items()
    ]


def scan_log(path, offset):
    """Errors logged since ``offset`` (bytes); retried conflicts counted."""
    text = Path(path).read_bytes()[offset:].decode("utf-8", "replace")
    lines = text.splitlines()
    conflicts, errors = 0, []
    for n, line in enumerate(lines):
        if not re.search(r" (ERROR|CRITICAL) ", line):
            continue
        following = "\n".join(lines[n + 1 : n + 12])
        if " odoo.sql_db: bad query:" in line and any(r in following for r in RETRIED):
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


def log_check(log):
    return (
        "no error in the server log",
        not log["tracebacks"] and not log["errors"],
        f"{log['tracebacks']} tracebacks, {len(log['errors'])} errors; "
        f"{log['conflicts']} serialization conflicts, {log['retries']} retried, "
        f"{log['gave_up']} gave up",
    )
