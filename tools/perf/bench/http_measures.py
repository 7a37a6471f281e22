# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTP measures of tools/bench (venv): portal pages of both databases,
served side by side and asked in turn, and acceptance throughput.

    python -m perf.bench.http --url U --plan P --base-url B --base-plan Q --out O

Each page request carries a marker (``?bench=<label>-<n>``) by which the
report finds its server time and queries in the server's log."""

import argparse
import json
import statistics
import time
from pathlib import Path

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402 - after the monkey-patching
from locust import events  # noqa: E402
from locust.clients import HttpSession  # noqa: E402

from perf.client import Portal  # noqa: E402

# (server, label, whose session, path): each round asks them all in turn, so
# that a change of load on the shared machine hits ours and the baseline alike
PAGES = [
    ("addon", "home", "few", "/my"),
    ("baseline", "home", "few", "/my"),
    ("addon", "tickets-10", "few", "/my/tickets"),
    ("baseline", "tickets-10", "few", "/my/tickets"),
    ("addon", "tickets-100", "many", "/my/tickets"),
    ("baseline", "tickets-100", "many", "/my/tickets"),
    ("addon", "credits-10", "few", "/my/credits"),
    ("addon", "credits-100", "full", "/my/credits"),
    ("addon", "credits-big", "big", "/my/credits"),
    ("baseline", "orders-10", "few", "/my/orders"),
]


def portal(url, plan, login):
    return Portal(HttpSession(url, events.request, None), login, plan["password"])


def pages(servers):
    """``servers``: {name: (url, plan)}. Returns one entry per page: the
    client-side median and the markers of its measured requests."""
    sizes = servers["addon"][1]["sizes"]
    warmup, reps = sizes["page_warmup"], sizes["page_reps"]
    sessions = {}
    for server, _label, who, _path in PAGES:
        url, plan = servers[server]
        if (server, who) not in sessions:
            sessions[server, who] = portal(url, plan, plan["logins"][who]).session
    times = {(server, label): [] for server, label, _who, _path in PAGES}
    for n in range(warmup + reps):
        for server, label, who, path in PAGES:
            start = time.perf_counter()
            response = sessions[server, who].get(f"{path}?bench={label}-{n}")
            if response.status_code != 200:
                raise RuntimeError(f"{server} {path}: HTTP {response.status_code}")
            if n >= warmup:
                times[server, label].append((time.perf_counter() - start) * 1000)
    return [
        {
            "server": server,
            "label": label,
            "path": path,
            "client_ms": round(statistics.median(times[server, label]), 2),
            "markers": [f"bench={label}-{n}" for n in range(warmup, warmup + reps)],
        }
        for server, label, _who, path in PAGES
    ]


def throughput(url, plan, name):
    """The plan's clients of ``name`` (distinct, same, chatter) all at once,
    each through its tickets: accepting their costs, or posting in the
    chatter. Returns the rate and how many succeeded."""
    clients = []
    for client in plan["throughput"][name]:
        browser = portal(url, plan, client["login"])
        token, _version = browser.ticket_form(client["tickets"][0])
        clients.append((browser, token, client["tickets"]))
    done = []

    def work(browser, token, tickets):
        for ticket_id in tickets:
            if name == "chatter":
                done.append(browser.post_message(ticket_id, "Thanks, go ahead."))
            else:
                done.append(browser.accept(ticket_id, token, "1") == "accepted")

    start = time.perf_counter()
    gevent.joinall([gevent.spawn(work, *client) for client in clients], timeout=600)
    elapsed = time.perf_counter() - start
    return {
        "requests": len(done),
        "ok": sum(done),
        "seconds": round(elapsed, 3),
        "per_second": round(len(done) / elapsed, 2),
        "clients": len(clients),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--url", "--plan", "--base-url", "--base-plan", "--out"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text())
    base_plan = json.loads(Path(args.base_plan).read_text())
    servers = {"addon": (args.url, plan), "baseline": (args.base_url, base_plan)}
    results = {"pages": pages(servers), "throughput": {}}
    for name in ("chatter", "distinct", "same"):
        results["throughput"][name] = throughput(args.url, plan, name)
    Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
