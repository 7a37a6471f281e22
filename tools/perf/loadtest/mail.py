# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mail: parallel senders deliver the plan's emails to the premium alias the
way odoo-mailgate does, some of them twice (at the same moment from another
sender, or later from the same one)."""

from locust import User


def users(ctx):
    messages = ctx.plan["mail"]["messages"]
    queues = list(ctx.plan["mail"]["queues"])

    class MailServer(User):
        host = ctx.url

        @ctx.once
        def deliver_my_queue(self):
            queue, gate = queues.pop(), ctx.mailgate()
            for n in queue:
                if ctx.time_left() <= 0:
                    break
                thread, error, status = gate.deliver(messages[n]["raw"])
                ctx.outcomes.append(
                    {"message": n, "thread": thread, "error": error, "status": status}
                )

    return [MailServer], len(queues)
