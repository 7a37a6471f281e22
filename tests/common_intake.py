# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Premium email intake on real, committed transactions: what a single test
transaction cannot show (two deliveries at the same moment, a failure whose
transaction still holds its rows while the email is kept from another
cursor). Everything is created and committed here, and deleted after."""

import logging
import uuid
from contextlib import contextmanager
from unittest.mock import patch

from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name

from .common import CommittedRaceMixin

DOMAIN = "committed-intake.test"
CUSTOMER_DOMAIN = "customer-committed.test"
PREMIUM = f"premium-committed@{DOMAIN}"
BASIC = f"basic-committed@{DOMAIN}"

EMAIL = """\
From: {email_from}
To: {to}
Subject: {subject}
Message-Id: {message_id}
Date: Thu, 26 Nov 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Our export is stuck again.
"""


class CommittedIntakeCase(CommittedRaceMixin, BaseCase):
    """A premium and a basic team with aliases of their own, and a portal
    customer, committed for the whole class."""

    race_snapshot_sql = "SELECT 1 FROM helpdesk_ticket LIMIT 1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            Domain = env["mail.alias.domain"]
            domain = Domain.search([("name", "=", DOMAIN)]) or Domain.create(
                {"name": DOMAIN}
            )
            Team = env["helpdesk.ticket.team"]
            basic = Team.create(
                {"name": "Committed basic", "alias_name": "basic-committed"}
            )
            premium = Team.create(
                {
                    "name": "Committed premium",
                    "alias_name": "premium-committed",
                    "is_premium": True,
                    "basic_team_id": basic.id,
                }
            )
            (basic | premium).alias_id.alias_domain_id = domain
            user = env["res.users"].create(
                {
                    "name": "Committed Customer",
                    "login": "committed-customer",
                    "email": f"customer@{CUSTOMER_DOMAIN}",
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
            )
            cls.ids = {
                "domain": domain.id,
                "basic": basic.id,
                "premium": premium.id,
                "alias": premium.alias_id.id,
                "user": user.id,
                "partner": user.partner_id.id,
            }
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            env["helpdesk.ticket"].with_context(active_test=False).search(
                [("team_id", "in", [cls.ids["basic"], cls.ids["premium"]])]
            ).unlink()
            env["helpdesk.premium.mail.refusal"].search(
                [
                    "|",
                    ("email_from", "ilike", CUSTOMER_DOMAIN),
                    ("team_id", "in", [cls.ids["premium"]]),
                ]
            ).unlink()
            if "helpdesk.premium.mail.claim" in env:
                env["helpdesk.premium.mail.claim"].search(
                    ["|", ("key", "like", CUSTOMER_DOMAIN), ("key", "like", DOMAIN)]
                ).unlink()
            env["helpdesk.ticket.team"].browse(
                [cls.ids["premium"], cls.ids["basic"]]
            ).unlink()
            user = env["res.users"].browse(cls.ids["user"])
            user.active = False
            user.partner_id.active = False
            user.login = f"committed-customer-{uuid.uuid4().hex}"

    def setUp(self):
        super().setUp()
        self.set_alias_status("not_tested")

    # -- helpers ------------------------------------------------------------
    def set_alias_status(self, status):
        with self.registry.cursor() as cr:
            self._env(cr)["mail.alias"].browse(self.ids["alias"]).alias_status = status

    def email(self, email_from=None, to=PREMIUM, subject=None, message_id=None):
        return EMAIL.format(
            email_from=email_from or f"Customer <customer@{CUSTOMER_DOMAIN}>",
            to=to,
            subject=subject or "[committed-customer] Our export is stuck",
            message_id=message_id or self.message_id(),
        )

    def message_id(self):
        return f"<{uuid.uuid4().hex}@{CUSTOMER_DOMAIN}>"

    def in_new_cursor(self, function):
        """``function(env)`` on a fresh cursor, after everything committed."""
        with self.registry.cursor() as cr:
            return function(self._env(cr))

    def race(self, *emails):
        """Deliver each email in its own thread and transaction, as the mailgate
        script does (``message_process`` through Odoo's ``retrying``); each
        takes its snapshot before either goes on. Returns (results, errors,
        tries) per email."""
        return self._race(
            *(
                lambda env, email=email: env["mail.thread"].message_process(None, email)
                for email in emails
            )
        )

    @contextmanager
    def bounces_spied(self):
        """Record every bounce Odoo's mail gateway would send or every alias
        it would mark invalid, in any thread."""
        calls = []
        MailAlias = self.registry["mail.alias"]
        MailThread = self.registry["mail.thread"]
        bounce_alias = MailAlias._alias_bounce_incoming_email
        bounce_email = MailThread._routing_create_bounce_email

        def alias_spy(alias, message, message_dict, set_invalid=True):
            calls.append(("alias", alias.id, set_invalid))
            return bounce_alias(alias, message, message_dict, set_invalid=set_invalid)

        def email_spy(thread, email_from, body_html, message, **values):
            calls.append(("email", email_from))
            return bounce_email(thread, email_from, body_html, message, **values)

        with (
            patch.object(MailAlias, "_alias_bounce_incoming_email", alias_spy),
            patch.object(MailThread, "_routing_create_bounce_email", email_spy),
        ):
            yield calls

    @contextmanager
    def logs_kept(self, name):
        """The INFO records of logger ``name``, from any thread, as text; unlike
        ``assertLogs``, it lets the test check its results first."""
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())

        logger = logging.getLogger(name)
        handler, level = Keep(logging.INFO), logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            yield records
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
