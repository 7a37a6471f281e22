# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""docs/benchmarks.md, docs/benchmarks.png and the table tools/bench prints,
from the JSON pytest-benchmark wrote, the HTTP measures and the servers' logs
(venv, matplotlib).

    python -m perf.bench.report --results-dir W --plan P --md M --png G

Exits 1 when a target is missed."""

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

from perf.bench.chart import chart

LOG_LINE = re.compile(
    r'"GET \S+\?(?P<marker>bench=\S+) HTTP/[\d.]+" \d+ - (?P<queries>\d+) '
    r"(?P<sql>[\d.]+) (?P<other>[\d.]+)"
)
# (what, short name, ours, baseline, what the baseline is, target, same queries)
INTAKE, ACCEPT, ORDER = ("intake", None), ("acceptance", None), ("order", None)
REPLY = ("reply", None)
ROWS = [
    ("Email intake: one email to a premium team's alias", "Email intake",
     (*INTAKE, "ours"), (*INTAKE, "baseline"),
     "the same email to a plain helpdesk_mgmt team's alias (baseline database)",
     1.15, False),
    ("Acceptance of a cost by the customer", "Acceptance vs a chatter post",
     (*ACCEPT, "ours"), (*ACCEPT, "baseline"),
     "the customer's post in the ticket's portal chatter", 1.30, False),
    ("A staff reply on a premium ticket (its first, meeting the deadline)",
     "Staff reply, premium ticket", (*REPLY, "ours"), (*REPLY, "baseline"),
     "the same reply on a plain helpdesk_mgmt ticket (baseline database)",
     1.10, False),
    ("Confirming an order of 10 credit-pack lines",
     "Order confirmation, 10 pack lines", (*ORDER, "ours"), (*ORDER, "baseline"),
     "the same order, its two products copies of the packs that grant no credits",
     1.10, False),
    ("`/my` (portal home)", "/my", ("page", "home", "addon"),
     ("page", "home", "baseline"), "`/my` of plain helpdesk_mgmt (baseline database)",
     1.10, False),
    ("`/my/tickets`, 10 tickets", "/my/tickets, 10 tickets",
     ("page", "tickets-10", "addon"), ("page", "tickets-10", "baseline"),
     "`/my/tickets` of plain helpdesk_mgmt, 10 tickets", 1.10, False),
    ("`/my/tickets`, 100 tickets", "/my/tickets, 100 tickets",
     ("page", "tickets-100", "addon"), ("page", "tickets-100", "baseline"),
     "`/my/tickets` of plain helpdesk_mgmt, 100 tickets", 1.10, False),
    ("`/my/credits`, 10 ledger lines", "/my/credits, 10 lines",
     ("page", "credits-10", "addon"), ("page", "orders-10", "baseline"),
     "`/my/orders` of plain Odoo, 10 orders (baseline database)", 1.10, False),
    ("`/my/credits`, {big:,} ledger lines", "/my/credits, {big:,} lines vs 100",
     ("page", "credits-big", "addon"), ("page", "credits-100", "addon"),
     "`/my/credits` with 100 ledger lines: the same full page of lines and pager"
     " (constant work)", 1.10, True),
    ("Balance read, {big:,} ledger lines", "Balance read, {big:,} lines vs 10",
     ("balance", "big", "ours"), ("balance", 10, "ours"),
     "the balance read with 10 ledger lines (constant work)", 1.25, True),
    ("Revenue recognition run, {recognition_customers:,} customers who each used"
     " {recognition_more} credits", "Recognition, {recognition_more} used each vs"
     " {recognition_fewer}", ("recognition", None, "ours"),
     ("recognition", None, "baseline"), "the same run, each customer having used"
     " {recognition_fewer} credits (the same entry of {recognition_lines:,} lines)",
     None, True),
    ("Reminder/expiry job, {pending:,} pending costs of which {due} due",
     "Cost reminder job, {pending:,} pending vs {due}",
     ("cron", None, "ours"), ("cron", None, "baseline"),
     "the same job with only the {due} due costs pending", None, False),
]  # fmt: skip


def in_process(path):
    """{(group, size, side): figures} from pytest-benchmark's JSON."""
    data = json.loads(Path(path).read_text())
    figures = {}
    for bench in data["benchmarks"]:
        params = bench["params"]
        figures[bench["group"], params.get("size"), params["side"]] = {
            "ms": bench["stats"]["median"] * 1000,
            "queries": bench["extra_info"]["queries"],
        }
    return figures, data["machine_info"], data["datetime"][:10]


def server_side(log_path, markers):
    """Median server time (ms) and queries of the requests carrying
    ``markers``, as Odoo logs them for every request."""
    wanted, times, queries = set(markers), [], []
    for match in LOG_LINE.finditer(Path(log_path).read_text(errors="replace")):
        if match.group("marker") in wanted:
            times.append(
                (float(match.group("sql")) + float(match.group("other"))) * 1e3
            )
            queries.append(int(match.group("queries")))
    return {"ms": statistics.median(times), "queries": statistics.median(queries)}


def collect(work, plan):
    """Every figure by key, the machine, the date."""
    figures, machine, date = in_process(work / "benchmark.json")
    http = json.loads((work / "http.json").read_text())
    for page in http["pages"]:
        log = work / f"server-{page['server']}.log"
        figures["page", page["label"], page["server"]] = server_side(
            log, page["markers"]
        )
    big = max(plan["sizes"]["ledger_sizes"])
    if ("balance", big, "ours") in figures:
        figures["balance", "big", "ours"] = figures["balance", big, "ours"]
    for name, measure in http["throughput"].items():
        figures["throughput", name, "addon"] = {"rate": measure["per_second"]}
    return figures, http["throughput"], machine, date


# measures that also have a time limit of their own (ms), whatever the ratio
LIMITS = {("recognition", None, "ours"): 10_000}


def rows(figures, sizes):
    more, fewer = sizes["recognition_used"]
    words = {
        "big": max(sizes["ledger_sizes"]),
        "recognition_more": more,
        "recognition_fewer": fewer,
        "recognition_lines": 2 * sizes["recognition_customers"],
        **sizes,
    }
    result = []
    for name, short, ours, base, base_name, target, same in ROWS:
        if ours not in figures or base not in figures:
            continue  # not measured in this run (tools/bench -k ...)
        limit = LIMITS.get(ours)
        ours, base = figures[ours], figures[base]
        ratio = ours["ms"] / base["ms"]
        checks = [
            *([ratio <= target] if target is not None else []),
            *([ours["queries"] == base["queries"]] if same else []),
            *([ours["ms"] <= limit] if limit else []),
        ]
        met = all(checks) if checks else None
        result.append(
            {
                "name": name.format(**words),
                "short": short.format(**words),
                "ours": ours,
                "base": base,
                "base_name": base_name.format(**words),
                "ratio": ratio,
                "target": target,
                "same_queries": same,
                "limit": limit,
                "met": met,
            }
        )
    return result + throughput_rows(figures)


def throughput_rows(figures):
    chatter = figures["throughput", "chatter", "addon"]
    return [
        {
            "name": f"Acceptance throughput, {label}",
            "short": f"Acceptance throughput, {label}",
            "ours": figures["throughput", name, "addon"],
            "base": chatter,
            "base_name": "portal chatter posts by as many clients"
            " (ratio: that rate / ours)",
            "ratio": chatter["rate"] / figures["throughput", name, "addon"]["rate"],
            "target": None,
            "same_queries": False,
            "met": None,
        }
        for name, label in (("distinct", "distinct wallets"), ("same", "one wallet"))
    ]


def figure(m):
    if "rate" in m:
        return f"{m['rate']:.1f}/s"
    return f"{m['ms']:.1f} ms, {m['queries']:g} q"


def verdict(row):
    return {None: "", True: "meets", False: "**misses**"}[row["met"]]


def target(row):
    words = [f"≤ {row['target']:.2f}x"] if row["target"] is not None else []
    if row["same_queries"]:
        words.append("same queries")
    if row.get("limit"):
        words.append(f"≤ {row['limit'] / 1000:g} s")
    return ", ".join(words)


def markdown(table, figures, throughput, machine, date, sizes):
    cpu = machine.get("cpu", {}).get("brand_raw", machine.get("processor", "?"))
    out = [
        "# Benchmarks",
        "",
        f"Measured on {date} by `tools/bench` on {cpu} ({machine['cores']} cores, "
        f"{machine['memory_gb']} GB), {machine['postgres']}, Odoo {machine['odoo']}, "
        f"Python {machine['python']}.",
        "",
        "Each figure is a median, set against the nearest operation of plain Odoo or "
        "plain helpdesk_mgmt measured in the same run: *ratio* is ours / baseline "
        "in time (for throughput: the baseline's rate / ours), *q* the SQL queries. "
        "The baseline database has helpdesk_mgmt, sale_management and website_sale "
        "without this addon. In-process figures (pytest-benchmark): "
        f"{sizes['rounds']} rounds ({sizes['cron_rounds']} for the reminder job) "
        f"after {sizes['warmup']} warm-up ones, each round "
        "of a measure preceded by one of its baseline, the ORM cache emptied before "
        "each as at the start of a request. Pages: "
        f"{sizes['page_reps']} requests after {sizes['page_warmup']} warm-up ones, "
        "ours and the baseline's served side by side by two servers with "
        f"{machine['workers']} workers each and asked in turn; server time and "
        "queries as Odoo logs them. Throughput: "
        f"{sizes['throughput_clients']} logged-in clients over HTTP, "
        f"{sizes['throughput_per_client']} requests each.",
        "",
        "| operation | ours | baseline | baseline is | ratio | target | |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    out += [
        f"| {r['name']} | {figure(r['ours'])} | {figure(r['base'])} | "
        f"{r['base_name']} | {r['ratio']:.2f}x | {target(r)} | {verdict(r)} |"
        for r in table
    ]
    return out + balance_table(figures, sizes) + throughput_text(throughput)


def balance_table(figures, sizes):
    out = [
        "",
        "Balance read (`res.partner.support_credit_balance` of a contact) as its "
        "company's ledger grows, next to reading a plain stored field of the same "
        "contact:",
        "",
        "| ledger lines | balance read | plain field read | ratio |",
        "|---:|---:|---:|---:|",
    ]
    measured = [
        size for size in sizes["ledger_sizes"] if ("balance", size, "ours") in figures
    ]
    if not measured:
        return []
    for size in measured:
        ours, base = (
            figures["balance", size, "ours"],
            figures["balance", size, "baseline"],
        )
        out.append(
            f"| {size:,} | {figure(ours)} | {figure(base)} | "
            f"{ours['ms'] / base['ms']:.2f}x |"
        )
    return out


def throughput_text(throughput):
    rates = ", ".join(
        f"{name} {m['per_second']:.1f}/s ({m['ok']}/{m['requests']} ok)"
        for name, m in throughput.items()
    )
    return [
        "",
        f"Acceptance throughput over HTTP: {rates}. Customers of one wallet are "
        "serialized on the wallet's row: the losers of each race are retried by "
        "Odoo, hence the lower rate.",
        "",
        "![Benchmarks](benchmarks.png)",
        "",
    ]


def print_table(table):
    width = max(len(r["short"]) for r in table)
    print(
        f"  {'operation':{width}} {'ours':>16} {'baseline':>16} {'ratio':>7}  "
        f"{'target':22} verdict"
    )
    for r in table:
        print(
            f"  {r['short']:{width}} {figure(r['ours']):>16} {figure(r['base']):>16} "
            f"{r['ratio']:6.2f}x  {target(r):22} {verdict(r).strip('*')}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--results-dir", "--plan", "--md", "--png"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    sizes = json.loads(Path(args.plan).read_text())["sizes"]
    figures, throughput, machine, date = collect(
        Path(args.results_dir), {"sizes": sizes}
    )
    table = rows(figures, sizes)
    md = markdown(table, figures, throughput, machine, date, sizes)
    Path(args.md).write_text("\n".join(md))
    balance = [
        (size, figures["balance", size, "ours"], figures["balance", size, "baseline"])
        for size in sizes["ledger_sizes"]
        if ("balance", size, "ours") in figures
    ]
    chart(table, balance, args.png, f"{date}, {machine['cores']} cores, medians")
    print_table(table)
    return 1 if any(r["met"] is False for r in table) else 0


if __name__ == "__main__":
    sys.exit(main())
