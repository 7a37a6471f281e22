# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spread: many wallets, each spent from two browsers at once (two contacts
of the company, held by two clients), until their credits run out."""

import random

from locust import User


def users(ctx):
    clients = ctx.sizes["spread_clients"]
    work = [[] for _n in range(clients)]
    for w, wallet in enumerate(ctx.plan["spread"]["wallets"]):
        pair = w % (clients // 2)
        for k, ticket_id in enumerate(wallet["tickets"]):
            work[2 * pair + k % 2].append((wallet["logins"][k % 2], ticket_id))
    for jobs in work:
        random.Random(len(jobs)).shuffle(jobs)

    class SpreadCustomer(User):
        host = ctx.url

        @ctx.once
        def accept_my_share(self):
            jobs = work.pop()
            portals = {}
            for login, ticket_id in jobs:
                if ctx.time_left() <= 0:
                    break
                if login not in portals:
                    portals[login] = ctx.portal(self, login)
                token, version = portals[login].ticket_form(ticket_id)
                outcome = portals[login].accept(ticket_id, token, version)
                ctx.outcomes.append({"ticket": ticket_id, "outcome": outcome})

    return [SpreadCustomer], clients
