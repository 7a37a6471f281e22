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
    answered as "taken": the mail gateway never sees an error, so no bounce,
    no alias marked invalid, no retry."""

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

        With ``renew_before``, a claim older than that date is taken over
        (sliding windows); without, a claim is never taken over. Returns
        ``"claimed"``, ``"taken"`` (claimed earlier, in this transaction or
        in one this one sees) or ``"concurrent"`` (claimed by a transaction
        that committed after this one began)."""
        if renew_before:
            conflict = """
                ON CONFLICT (key) DO UPDATE SET date = EXCLUDED.date
                WHERE claim.date < %(renew_before)s
            """
        else:
            conflict = "ON CONFLICT (key) DO NOTHING"
        query = f"""
            INSERT INTO helpdesk_premium_mail_claim AS claim (key, date)
            VALUES (%(key)s, %(now)s)
            {conflict}
            RETURNING claim.id
        """  # noqa: S608 - no value is formatted in, only one of two fixed clauses
        params = {
            "key": key,
            "now": fields.Datetime.now(),
            "renew_before": renew_before,
        }
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, params)
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
