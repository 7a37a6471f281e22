# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Race: the contacts of one company open their tickets, then all press
Accept at the same moment, while the wallet pays for some of them only."""

import gevent.event
from locust import User


def users(ctx):
    tickets = list(ctx.plan["race"]["tickets"])
    total = len(tickets)
    ready = gevent.event.Event()
    arrived = []

    class RaceCustomer(User):
        host = ctx.url

        @ctx.once
        def accept_at_once(self):
            job = tickets.pop()
            try:
                portal = ctx.portal(self, job["login"])
                token, version = portal.ticket_form(job["id"])
            finally:
                # every customer has its page loaded: all press Accept
                arrived.append(job)
                if len(arrived) == total:
                    ready.set()
            ready.wait(timeout=max(ctx.time_left(), 1))
            outcome = portal.accept(job["id"], token, version)
            ctx.outcomes.append({"ticket": job["id"], "outcome": outcome})

    return [RaceCustomer], total
