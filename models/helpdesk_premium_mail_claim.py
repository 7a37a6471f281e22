# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

# A claim is only needed while its transaction and a concurrent one overlap
# (Message-Id), or for the hour a reply throttles (mailbox): a day is plenty.
CLAIM_KEEP = timedelta(days=1)


class HelpdeskPremiumMailClaim(models.Model):
    """A key that one transaction at a time may take, under a unique index:
    the Message-Id of an email a premium alias takes in (one request per
    email, however many copies arrive at once or however many premium
    aliases it is addressed to), or a sender's mailbox (one refusal reply an
    hour).

    Odoo runs at REPEATABLE READ, where "look, then insert" lets two
    transactions both see nothing and both go on. One ``INSERT ... ON
    CONFLICT`` on the unique key decides instead: a transaction that meets the
    key of a concurrent one waits for it, and gets a serialization failure
    once the other commits. That failure is caught here, in a savepoint, and
    answered as "held by another": the mail gateway never sees an error, so
    no bounce, no alias marked invalid, no retry. The rows are only needed
    while transactions overlap, or for a reply's hour, and are purged daily."""

    _name = "helpdesk.premium.mail.claim"
    _description = "Premium Support Email Claim"
    _log_access = False
    _order = "date desc, id desc"

    key = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, index=True)

    _key_unique = models.UniqueIndex("(key)", "This key is already claimed.")

    @api.model
    def _claim(self, key, renew_before=None):
        """Take ``key`` for this transaction.

        A claim older than ``renew_before`` is taken over. By default that is
        the start of this transaction (PostgreSQL's ``now()``): a key is then
        held only by this transaction and those running at the same moment,
        and one left by an earlier, finished transaction never stops a later
        one (an email delivered again after its ticket was deleted is a new
        request). Returns ``"claimed"``, ``"taken"`` (held by this
        transaction, or by one it sees whose claim is recent enough) or
        ``"concurrent"`` (by a transaction that committed after this one
        began, or that it waited for)."""
        params = {
            "key": key,
            "now": renew_before and fields.Datetime.now(),
            "renew_before": renew_before,
        }
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    """
                    INSERT INTO helpdesk_premium_mail_claim AS claim (key, date)
                    VALUES (%(key)s, COALESCE(%(now)s, now() AT TIME ZONE 'UTC'))
                    ON CONFLICT (key) DO UPDATE SET date = EXCLUDED.date
                    WHERE claim.date
                        < COALESCE(%(renew_before)s, now() AT TIME ZONE 'UTC')
                    RETURNING claim.id
                    """,
                    params,
                )
                row = self.env.cr.fetchone()
        except psycopg2.errors.SerializationFailure:
            _logger.info("Claim %s was taken by a concurrent transaction", key)
            return "concurrent"
        return "claimed" if row else "taken"

    @api.model
    def _purge(self):
        """Forget the claims that no transaction can still need."""
        self.env.cr.execute(
            "DELETE FROM helpdesk_premium_mail_claim WHERE date < %s",
            [fields.Datetime.now() - CLAIM_KEEP],
        )
        return self.env.cr.rowcount
