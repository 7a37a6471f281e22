# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The databases of tools/bench and the interleaving of each measure with
its baseline, for pytest-benchmark (Odoo python; pytest-odoo stays off:
these measures run on committed databases, outside Odoo's test mode).

Every measure module parametrizes ``side`` ("ours", "baseline") and asks
``interleave`` to measure that side, each round preceded by one round of the
other side: both alternate, so a change of load on the shared machine hits
both alike. pytest-benchmark times the side; the queries go in extra_info."""

import itertools
import json
import platform
import statistics
import subprocess
from pathlib import Path

import pytest

from perf.odoo_env import open_env

SIDES = ("ours", "baseline")


def pytest_addoption(parser):
    group = parser.getgroup("tools/bench")
    group.addoption("--bench-conf", help="the Odoo configuration file")
    group.addoption("--bench-db", help="the database with the addon, seeded")
    group.addoption("--bench-base-db", help="the baseline database, seeded")
    group.addoption("--bench-plan", help="the plan the seeding wrote")
    group.addoption(
        "--bench-cron-dbs", help="two fresh copies of the addon's database, A,B"
    )
    group.addoption("--bench-workers", type=int, default=4)


def pytest_benchmark_update_machine_info(config, machine_info):
    """What the report says the figures were measured on."""
    import odoo.release

    meminfo = Path("/proc/meminfo").read_text().split()
    postgres = subprocess.run(
        ["psql", "-Atc", "SHOW server_version", "postgres"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    machine_info.update(
        odoo=odoo.release.version,
        postgres=f"PostgreSQL {postgres[0] if postgres else '?'}",
        memory_gb=round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2),
        cores=Path("/proc/cpuinfo").read_text().count("\nprocessor") + 1,
        workers=config.getoption("--bench-workers"),
        python=platform.python_version(),
    )


@pytest.fixture(scope="session")
def plan(pytestconfig):
    return json.loads(Path(pytestconfig.getoption("--bench-plan")).read_text())


@pytest.fixture(scope="session")
def sizes(plan):
    return plan["sizes"]


def _env(pytestconfig, db):
    env = open_env(pytestconfig.getoption("--bench-conf"), db)
    yield env
    env.cr.rollback()
    env.cr.close()


@pytest.fixture(scope="session")
def addon_env(pytestconfig):
    yield from _env(pytestconfig, pytestconfig.getoption("--bench-db"))


@pytest.fixture(scope="session")
def base_env(pytestconfig):
    yield from _env(pytestconfig, pytestconfig.getoption("--bench-base-db"))


@pytest.fixture(scope="module")
def addon(addon_env):
    """The addon's database for one measure module, whose writes are undone
    after it."""
    yield addon_env
    addon_env.cr.rollback()


@pytest.fixture(scope="module")
def base(base_env):
    """The baseline database for one measure module, as ``addon``."""
    yield base_env
    base_env.cr.rollback()


class Side:
    """One side of a measure: ``run(n)`` on ``env``, ``n`` counting the calls
    of this side, so that each call gets data of its own. ``prepare(n)``, if
    any, runs before, untimed. The env's cache is emptied before the call (as
    at the start of a request) and its writes flushed within the timing."""

    def __init__(self, env, run, prepare=None):
        self.env, self.run, self.prepare = env, run, prepare
        self.count = itertools.count()
        self.start_queries = 0

    def start(self):
        n = next(self.count)
        if self.prepare:
            self.prepare(n)
        self.env.flush_all()
        self.env.invalidate_all()
        self.start_queries = self.env.cr.sql_log_count
        return n

    def call(self, n):
        self.run(n)
        self.env.flush_all()

    def queries(self):
        return self.env.cr.sql_log_count - self.start_queries


@pytest.fixture
def interleave(benchmark, request, sizes):
    """``interleave(ours, baseline, rounds, warmup)``: measure the test's
    ``side`` (``rounds``, ``warmup``: default, those of the plan's sizes)."""
    side = request.node.callspec.params["side"]

    def measure(ours, baseline, rounds=None, warmup=None):
        warmup = sizes["warmup"] if warmup is None else warmup
        measured, other = (ours, baseline) if side == "ours" else (baseline, ours)
        queries = []

        def setup():
            other.call(other.start())
            return (measured.start(),), {}

        def teardown(_n):
            queries.append(measured.queries())

        benchmark.pedantic(
            measured.call,
            setup=setup,
            teardown=teardown,
            rounds=rounds or sizes["rounds"],
            warmup_rounds=warmup,
        )
        benchmark.extra_info.update(queries=statistics.median(queries[warmup:]))

    return measure
