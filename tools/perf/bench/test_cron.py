# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hourly reminder and expiry job of pending costs
(``helpdesk.ticket._cron_remind_pending_costs``) with 10,000 pending costs of
which 10 are due (5 for their reminder, 5 for expiry), against the same job
with only those 10 pending. Each side runs on a fresh copy of the addon's
database of its own (the job commits); before each run the 10 due tickets
are put back as they were, so that every run has the same work to do.
Fewer rounds than the other measures: a run takes about a second."""

import json
from datetime import timedelta

import pytest

from odoo import fields
from odoo.tools import SQL

from perf import seeding
from perf.bench.conftest import SIDES, Side
from perf.odoo_env import open_env

pytestmark = pytest.mark.benchmark(group="cron")


def ticket_columns(env):
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'helpdesk_ticket' AND column_name <> 'id'"
    )
    return SQL(", ").join(SQL.identifier(name) for (name,) in env.cr.fetchall())


def waiting_costs(env, pending, due):
    """A customer with ``pending`` costs waiting, ``due`` of them old enough
    for the job, the others sent an hour ago (copies of one, in SQL), all
    committed. Returns the due tickets."""
    agent = seeding.create_agent(env, "Cron Agent", "cron_agent")
    team = seeding.premium_team(env, "Cron Support", "cron", "cron.example")
    _company, users = seeding.customers(env, "waiting")
    tickets = seeding.create_requests(
        env, agent, team, [users.partner_id] * (due + 1), "Waiting", True
    )
    env.flush_all()
    company, now = env.company, fields.Datetime.now()
    ages = [company.support_cost_reminder_days, company.support_cost_expiry_days]
    sent = [now - timedelta(days=ages[n % 2] + 1) for n in range(due)]
    for ticket, date in zip(tickets, [*sent, now - timedelta(hours=1)], strict=True):
        env.cr.execute(
            "UPDATE helpdesk_ticket SET approval_requested_date = %s WHERE id = %s",
            [date, ticket.id],
        )
    columns = ticket_columns(env)
    env.cr.execute(
        SQL(
            "INSERT INTO helpdesk_ticket (%s) SELECT %s FROM helpdesk_ticket,"
            " generate_series(1, %s) WHERE id = %s",
            columns,
            columns,
            pending - due - 1,
            tickets[-1].id,
        )
    )
    if pending == due:  # the one sent an hour ago is not wanted either
        tickets[-1]._cancel_pending_cost("closed")
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.commit()
    return tickets[:due]


def restorer(env, tickets):
    """Puts ``tickets`` back as they are now (every column), committed."""
    env.cr.execute(
        "SELECT jsonb_agg(to_jsonb(t)) FROM helpdesk_ticket t WHERE id = ANY(%s)",
        [tickets.ids],
    )
    rows, columns = json.dumps(env.cr.fetchone()[0]), ticket_columns(env)

    def restore(_n):
        env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket t SET (%s) = (SELECT %s FROM"
                " jsonb_populate_record(NULL::helpdesk_ticket, r.value))"
                " FROM jsonb_array_elements(%s::jsonb) r"
                " WHERE t.id = (r.value->>'id')::int",
                columns,
                columns,
                rows,
            )
        )
        env.cr.commit()
        env.invalidate_all()

    return restore


@pytest.fixture(scope="module")
def sides(pytestconfig, sizes):
    conf = pytestconfig.getoption("--bench-conf")
    envs = [
        open_env(conf, db)
        for db in pytestconfig.getoption("--bench-cron-dbs").split(",")
    ]
    result = []
    for env, pending in zip(envs, (sizes["pending"], sizes["due"]), strict=True):
        due = waiting_costs(env, pending, sizes["due"])
        job = env["helpdesk.ticket"]._cron_remind_pending_costs
        result.append(Side(env, lambda n, job=job: job(), restorer(env, due)))
    yield result
    for env in envs:
        env.cr.rollback()
        env.cr.close()


@pytest.mark.parametrize("side", SIDES)
def test_cron(interleave, sides, side, sizes):
    interleave(*sides, rounds=sizes["cron_rounds"])
