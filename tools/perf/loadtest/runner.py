# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Runs the locust users of one scenario to their end and writes what they
saw (venv; gevent is monkey-patched before this module is imported)."""

import functools
import json
import time
from pathlib import Path

import gevent
from locust import events, task
from locust.clients import HttpSession
from locust.env import Environment
from locust.exception import StopUser

from perf.client import MailGate, Portal


class Context:
    """What the users of a scenario share: the plan, the server, a deadline,
    and the outcome of every decision or delivery they make."""

    def __init__(self, plan, url, db, timeout):
        self.plan, self.url, self.db = plan, url, db
        self.sizes = plan["sizes"]
        self.deadline = time.monotonic() + timeout
        self.outcomes = []

    def time_left(self):
        return self.deadline - time.monotonic()

    def portal(self, user, login):
        """A new browser (its own cookie jar) logged in as ``login``."""
        session = HttpSession(self.url, events.request, user)
        return Portal(session, login, self.plan["password"])

    def mailgate(self):
        return MailGate(self.url, self.db, events.request)

    def once(self, job):
        """A locust task that runs once per user: an error is an outcome of
        the scenario, never a reason to run the task again."""

        @functools.wraps(job)
        def once_only(user):
            try:
                job(user)
            except Exception as error:  # noqa: BLE001 - reported in the results
                self.outcomes.append(
                    {"outcome": "client error", "error": repr(error)[:300]}
                )
            raise StopUser()

        return task(once_only)


def run(scenario, ctx):
    """Start the scenario's users at once, wait for all to end (or the
    deadline), and return the results: outcomes and locust's statistics."""
    user_classes, count = scenario.users(ctx)
    env = Environment(user_classes=user_classes, events=events)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(count, spawn_rate=count)
    gevent.sleep(1)
    while runner.user_count and ctx.time_left() > 0:
        gevent.sleep(0.2)
    elapsed = time.monotonic() - started
    runner.quit()
    stats = [
        {
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
        for entry in sorted(env.stats.entries.values(), key=lambda e: e.name)
    ]
    return {
        "elapsed": elapsed,
        "timed_out": ctx.time_left() <= 0,
        "outcomes": ctx.outcomes,
        "stats": stats,
    }


def drive(scenario, plan_path, url, db, timeout, out):
    plan = json.loads(Path(plan_path).read_text())
    results = run(scenario, Context(plan, url, db, timeout))
    Path(out).write_text(json.dumps(results, indent=1))
