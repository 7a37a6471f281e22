# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Premium requests by email, through Odoo's own mail gateway.

Every message below is written here as raw RFC 822 text and fed to
``mail.thread.message_process`` like fetchmail and the mailgate script do."""

import base64
from datetime import timedelta
from email.utils import format_datetime as rfc822_date

from odoo import fields
from odoo.exceptions import AccessError, ConcurrencyError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PremiumSupportCase

PREMIUM = "premium@support.test"
BASIC = "basic@support.test"
ALICE = "Alice Azure <alice@azure.test>"
# A Wednesday at 11:00 in Paris: the team is at work.
OPEN_HOURS = "2026-11-25 10:00:00"

TEXT_MESSAGE = """\
Return-Path: <{return_path}>
Received: by mx.azure.test (Postfix, from userid 1001)
\tid 4B1F2C; Wed, 25 Nov 2026 11:00:00 +0100 (CET)
From: {email_from}
To: {to}
Subject: {subject}
Message-Id: {msg_id}
Date: {date}
MIME-Version: 1.0
{extra}Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello,

Our invoice export to the bookkeeping stops after two minutes.

Alice
"""


@tagged("post_install", "-at_install")
class MailIntakeCase(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].search([("name", "=", "support.test")])
        if not domain:
            domain = cls.env["mail.alias.domain"].create(
                {
                    "name": "support.test",
                    "bounce_alias": "bounce",
                    "catchall_alias": "catchall",
                    "default_from": "notifications",
                }
            )
        cls.company.alias_domain_id = domain
        cls.company.email = "hello@vendor.test"
        cls.Team = cls.env["helpdesk.ticket.team"]
        cls.basic_team = cls.Team.create(
            {
                "name": "Basic Support",
                "alias_name": "basic",
                "company_id": cls.company.id,
            }
        )
        cls.premium_team = cls.Team.create(
            {
                "name": "Premium Support",
                "alias_name": "premium",
                "is_premium": True,
                "basic_team_id": cls.basic_team.id,
                "company_id": cls.company.id,
            }
        )
        cls.Refusal = cls.env["helpdesk.premium.mail.refusal"]
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Mail = cls.env["mail.mail"].sudo()
        cls.msg_count = 0

    def setUp(self):
        super().setUp()
        self.env.flush_all()
        self.last_ticket_id = self._max_id("helpdesk_ticket")
        self.last_refusal_id = self._max_id("helpdesk_premium_mail_refusal")
        self.last_mail_id = self._max_id("mail_mail")

    def _max_id(self, table):
        self.env.cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return self.env.cr.fetchone()[0]

    # -- writing and feeding messages -----------------------------------------
    @classmethod
    def _msg_id(cls):
        cls.msg_count += 1
        return f"<intake-{cls.msg_count}.{id(cls)}@azure.test>"

    def _message(
        self,
        subject="[alice] Invoice export times out",
        email_from=ALICE,
        to=PREMIUM,
        msg_id=None,
        extra="",
        return_path="alice@azure.test",
        date=None,
        template=TEXT_MESSAGE,
        **values,
    ):
        return template.format(
            subject=subject,
            email_from=email_from,
            to=to,
            msg_id=msg_id or self._msg_id(),
            extra=extra,
            return_path=return_path,
            date=date or rfc822_date(fields.Datetime.now().replace(tzinfo=None)),
            **values,
        )

    def _process(self, message):
        """What fetchmail and the mailgate script do: the raw message to
        ``message_process``, with no fallback model, as superuser, without
        the test suite's switches that turn mail features off."""
        gateway = self.env["mail.thread"].with_context(
            tracking_disable=False,
            mail_create_nolog=False,
            mail_create_nosubscribe=False,
            mail_notrack=False,
        )
        return gateway.sudo().message_process(None, message)

    def _new_tickets(self):
        return self.Ticket.sudo().search([("id", ">", self.last_ticket_id)], order="id")

    def _new_refusals(self):
        return self.Refusal.sudo().search(
            [("id", ">", self.last_refusal_id)], order="id"
        )

    def _send_queued(self):
        self.env["helpdesk.ticket"]._cron_premium_mail_intake()
        self.env.flush_all()

    def _mails_to(self, address):
        """Outgoing emails created by this test for ``address``."""
        mails = self.Mail.search([("id", ">", self.last_mail_id)])
        return mails.filtered(
            lambda m: (
                address in (m.email_to or "")
                or address in m.recipient_ids.mapped("email")
            )
        )

    def _refusal_replies(self, address):
        return self._mails_to(address).filtered(
            lambda m: "premium support was not accepted" in m.subject
        )

    def _assert_refused(self, message, reason, replied_to=None):
        refusals_before = self._new_refusals()
        self.assertFalse(self._process(message))
        self.assertFalse(self._new_tickets(), "a refused email created a ticket")
        refusal = self._new_refusals() - refusals_before
        self.assertEqual(len(refusal), 1)
        self.assertEqual(refusal.reason, reason)
        if replied_to:
            self.assertEqual(refusal.reply_state, "pending")
            self.assertEqual(refusal.reply_email, replied_to)
        return refusal


@tagged("post_install", "-at_install")
@freeze_time(OPEN_HOURS)
class TestMailIntake(MailIntakeCase):
    # -- accepted ---------------------------------------------------------------
    def test_valid_request_becomes_a_ticket_without_cost(self):
        wallets = self.Wallet.sudo().search_count([])
        lines = self.Line.sudo().search_count([])
        ticket_id = self._process(self._message())
        ticket = self._new_tickets()
        self.assertEqual(ticket.ids, [ticket_id])
        self.assertEqual(ticket.team_id, self.premium_team)
        self.assertEqual(ticket.partner_id, self.alice.partner_id)
        self.assertEqual(ticket.name, "[alice] Invoice export times out")
        self.assertEqual(ticket.approval_state, "none")
        self.assertEqual(ticket.credit_cost, 0)
        self.assertEqual(ticket.premium_intake, "request")
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email"),
        )
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, self.alice.partner_id)
        self.assertIn("invoice export", incoming.body)
        self.assertFalse(self._new_refusals())
        # the acknowledgement is queued, then sent by the scheduled action
        self.assertEqual(ticket.premium_intake_ack, "pending")
        self._send_queued()
        self.assertEqual(ticket.premium_intake_ack, "sent")
        ack = ticket.message_ids.filtered(
            lambda m: "We received your request" in (m.subject or "")
        )
        self.assertEqual(len(ack), 1)
        self.assertIn(self.alice.partner_id, ack.partner_ids)
        self.assertIn("create one or more tickets", ack.body)
        self.assertIn("Monday to Friday, 09:00-18:30 (Europe/Paris)", ack.body)
        self.assertNotIn("o_support_back_at", ack.body)
        self.assertTrue(self._mails_to("alice@azure.test"))
        self.assertGreater(ack.id, incoming.id, "acknowledged before the request")
        # intake never touches wallets
        self.assertEqual(self.Wallet.sudo().search_count([]), wallets)
        self.assertEqual(self.Line.sudo().search_count([]), lines)

    def test_address_and_login_are_case_insensitive(self):
        message = self._message(
            email_from='"ALICE" <Alice@AZURE.test>', subject="Export broken (ALICE)"
        )
        self._process(message)
        self.assertEqual(self._new_tickets().partner_id, self.alice.partner_id)

    def test_login_as_a_token_in_many_places(self):
        for subject in (
            "alice",
            "alice: export",
            "Export for alice.",
            "[alice]",
            "Re: (alice) export",
            "user=alice export",
        ):
            with self.subTest(subject=subject):
                self.last_ticket_id = self._max_id("helpdesk_ticket")
                self._process(self._message(subject=subject))
                self.assertEqual(len(self._new_tickets()), 1, subject)

    def test_login_that_is_an_email_address(self):
        self.bob.login = "bob@azure.test"
        message = self._message(
            email_from="Bob <bob@azure.test>", subject="bob@azure.test: export"
        )
        self._process(message)
        self.assertEqual(self._new_tickets().partner_id, self.bob.partner_id)

    def test_no_body(self):
        message = (
            f"From: {ALICE}\nTo: {PREMIUM}\nSubject: alice\n"
            f"Message-Id: {self._msg_id()}\n\n"
        )
        self._process(message)
        self.assertEqual(len(self._new_tickets()), 1)

    def test_reply_to_and_return_path_never_decide_the_customer(self):
        message = self._message(
            email_from="Mallory <mallory@globex.test>",
            subject="[mallory] report",
            extra="Reply-To: alice@azure.test\nSender: alice@azure.test\n",
            return_path="alice@azure.test",
        )
        self._process(message)
        self.assertEqual(self._new_tickets().partner_id, self.mallory.partner_id)

    def test_same_message_twice_gives_one_ticket(self):
        message = self._message(msg_id="<twice@azure.test>")
        self._process(message)
        self.assertFalse(self._process(message))
        self.assertEqual(len(self._new_tickets()), 1)
        self.assertEqual(self._new_tickets().premium_message_id, "<twice@azure.test>")

    def test_one_request_per_message_id_in_the_database(self):
        # what stops a second copy processed at the same moment, when Odoo's
        # own Message-Id check ran in a snapshot without the first one
        self._process(self._message(msg_id="<once@azure.test>"))
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(ConcurrencyError),
            self.env.cr.savepoint(),
        ):
            self.Ticket.sudo().message_new(
                {"subject": "[alice] copy", "body": "<p>copy</p>"},
                custom_values={"premium_message_id": "<once@azure.test>"},
            )
        self.assertEqual(len(self._new_tickets()), 1)

    def _second_premium_team(self):
        return self.Team.create(
            {
                "name": "Premium Support (sales)",
                "alias_name": "premium-sales",
                "is_premium": True,
                "basic_team_id": self.basic_team.id,
                "company_id": self.company.id,
            }
        )

    def test_one_email_to_two_premium_aliases_gives_one_request(self):
        second = self._second_premium_team()
        both = f"{PREMIUM}, premium-sales@support.test"
        ticket_id = self._process(self._message(to=both))
        ticket = self._new_tickets()
        self.assertEqual(ticket.ids, [ticket_id])
        self.assertIn(ticket.team_id, self.premium_team | second)
        self.assertEqual(ticket.partner_id, self.alice.partner_id)
        self.assertFalse(self._new_refusals())
        # the alias the email was dropped on is untouched
        self.assertNotEqual(second.alias_id.alias_status, "invalid")
        self.assertNotEqual(self.premium_team.alias_id.alias_status, "invalid")

    def test_refused_email_to_two_premium_aliases_is_kept_and_answered_once(self):
        self._second_premium_team()
        both = f"premium-sales@support.test, {PREMIUM}"
        self.assertFalse(
            self._process(self._message(email_from="someone@elsewhere.test", to=both))
        )
        self.assertFalse(self._new_tickets())
        self.assertEqual(len(self._new_refusals()), 1)
        self._send_queued()
        self.assertEqual(len(self._mails_to("someone@elsewhere.test")), 1)

    def test_a_team_made_premium_later(self):
        message = self._message(
            email_from="Stranger <someone@elsewhere.test>", to=BASIC
        )
        self._process(message)
        self.assertEqual(len(self._new_tickets()), 1)
        self.last_ticket_id = self._new_tickets().id
        self.basic_team.is_premium = True
        self._assert_refused(
            self._message(email_from="Stranger <someone@elsewhere.test>", to=BASIC),
            "sender_unknown",
        )
        self.basic_team.is_premium = False
        self._process(
            self._message(email_from="Stranger <someone@elsewhere.test>", to=BASIC)
        )
        self.assertEqual(len(self._new_tickets()), 1)

    def test_other_aliases_are_untouched(self):
        """Plain helpdesk_mgmt intake on a team that is not premium."""
        message = self._message(
            email_from="Stranger <someone@elsewhere.test>",
            subject="no login at all",
            to=BASIC,
        )
        self._process(message)
        ticket = self._new_tickets()
        self.assertEqual(ticket.team_id, self.basic_team)
        self.assertFalse(ticket.premium_intake)
        self.assertFalse(self._new_refusals())

    # -- replies in a ticket's thread -------------------------------------------
    def _ticket_with_ack(self):
        self._process(self._message())
        ticket = self._new_tickets()
        self._send_queued()
        ack = ticket.message_ids.filtered(
            lambda m: "We received your request" in (m.subject or "")
        )
        self.last_ticket_id = ticket.id
        return ticket, ack

    def test_colleague_reply_in_the_thread_is_added_to_the_ticket(self):
        ticket, ack = self._ticket_with_ack()
        reply = self._message(
            email_from="Bob Azure <bob@azure.test>",
            subject=f"Re: {ack.subject}",
            extra=f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n",
        )
        self.assertEqual(self._process(reply), ticket.id)
        self.assertFalse(self._new_tickets())
        self.assertFalse(self._new_refusals())
        last = ticket.message_ids.sorted("id")[-1]
        self.assertEqual(last.author_id, self.bob.partner_id)

    def test_out_of_office_storm_never_creates_tickets(self):
        ticket, ack = self._ticket_with_ack()
        messages = ticket.message_ids
        # 20 out-of-office replies to the acknowledgement, in its thread
        for __ in range(20):
            self._process(
                self._message(
                    subject=f"Automatic reply: {ack.subject}",
                    extra=(
                        "Auto-Submitted: auto-replied\n"
                        f"In-Reply-To: {ack.message_id}\nReferences: {ack.message_id}\n"
                    ),
                )
            )
        self.assertFalse(self._new_tickets())
        self.assertLessEqual(len(ticket.message_ids - messages), 20)
        # 20 out-of-office messages sent to the alias itself
        for __ in range(20):
            self._process(
                self._message(
                    subject="Out of office: alice",
                    extra="Auto-Submitted: auto-replied\nX-Autoreply: yes\n",
                )
            )
        self.assertFalse(self._new_tickets())
        refusals = self._new_refusals()
        self.assertEqual(len(refusals), 20)
        self.assertEqual(set(refusals.mapped("reason")), {"automated"})
        self._send_queued()
        # no refusal reply (Odoo's own loop guard answered the thread storm once)
        self.assertFalse(self._refusal_replies("alice@azure.test"))

    def test_out_of_office_without_headers_gets_one_reply(self):
        """A robot that says nothing about itself is throttled."""
        for __ in range(20):
            self._process(
                self._message(
                    email_from="Stranger <someone@elsewhere.test>",
                    subject="Out of office until Monday",
                )
            )
        self.assertFalse(self._new_tickets())
        self.assertEqual(len(self._new_refusals()), 20)
        self._send_queued()
        self.assertEqual(len(self._mails_to("someone@elsewhere.test")), 1)


@tagged("post_install", "-at_install")
@freeze_time(OPEN_HOURS)
class TestMailIntakeRefusals(MailIntakeCase):
    def test_unknown_sender(self):
        refusal = self._assert_refused(
            self._message(
                email_from="Stranger <someone@elsewhere.test>",
                subject="[someone] please help",
            ),
            "sender_unknown",
            replied_to="someone@elsewhere.test",
        )
        self.assertEqual(refusal.team_id, self.premium_team)
        self.assertEqual(refusal.subject, "[someone] please help")
        self.assertEqual(refusal.email_from, '"Stranger" <someone@elsewhere.test>')
        self.assertIn("invoice export", refusal.body)
        self.assertTrue(refusal.message_id.startswith("<intake-"))
        raw = base64.b64decode(refusal.with_context(bin_size=False).raw_message)
        self.assertIn(b"Subject: [someone] please help", raw)
        self.assertIn(b"Received: by mx.azure.test", raw)
        self._send_queued()
        reply = self._mails_to("someone@elsewhere.test")
        self.assertEqual(len(reply), 1)
        self.assertEqual(refusal.reply_state, "sent")
        self.assertIn("registered on your customer account", reply.body_html)
        self.assertIn("username", reply.body_html)
        self.assertIn(BASIC, reply.body_html)
        self.assertIn("/my/tickets", reply.body_html)
        self.assertIn("auto-replied", reply.headers)
        self.assertIn(refusal.message_id, reply.references)

    def test_wrong_partial_or_other_username(self):
        for subject in (
            "Invoice export times out",
            "[ali] export",
            "[alicex] export",
            "[malice] export",
            "[alice2] export",
            "alice.smith export",
            "alice-export",
            "alice@azure.test export",
            "[bob] export",
            "[mallory] export",
        ):
            with self.subTest(subject=subject):
                self._assert_refused(self._message(subject=subject), "login_missing")

    def test_same_reply_whether_unknown_or_wrong_username(self):
        self._process(
            self._message(
                email_from="someone@elsewhere.test", subject="[someone] export"
            )
        )
        self._process(self._message(subject="export without login"))
        self._send_queued()
        unknown = self._mails_to("someone@elsewhere.test")
        known = self._mails_to("alice@azure.test")
        self.assertEqual(len(unknown), 1)
        self.assertEqual(len(known), 1)
        self.assertEqual(unknown.subject, known.subject)
        self.assertEqual(unknown.body_html, known.body_html)
        self.assertEqual(unknown.email_from, known.email_from)

    def test_spoofed_or_ambiguous_from(self):
        # (From header, who the reply may go to)
        cases = [
            ('"alice@azure.test" <mallory@globex.test>', "mallory@globex.test"),
            ("alice@azure.test <mallory@globex.test>", "mallory@globex.test"),
            (
                "=?utf-8?b?YWxpY2VAYXp1cmUudGVzdA==?= <mallory@globex.test>",
                "mallory@globex.test",
            ),
            ('"Alice <alice@azure.test>" <mallory@globex.test>', "mallory@globex.test"),
            ("Mallory <mallory@globex.test> (alice@azure.test)", "mallory@globex.test"),
            ("alice@azure.test, mallory@globex.test", False),
            ("Alice <alice@azure.test>, Bob <bob@azure.test>", False),
            ("Alice <alice@azure.test> <mallory@globex.test>", False),
            ('"alice@azure.test"@globex.test', False),
            ("alice@azure.test@globex.test", False),
            ("undisclosed-recipients:;", False),
            ("Alice Azure", False),
            ('"', False),
            ("<alice@azure.test", False),
        ]
        for email_from, reply_to in cases:
            with self.subTest(email_from=email_from):
                refusal = self._assert_refused(
                    self._message(email_from=email_from), "sender_invalid"
                )
                self.assertEqual(refusal.reply_email, reply_to)
                if not reply_to:
                    self.assertEqual(refusal.reply_state, "no_address")

    def test_sender_hidden_in_an_encoded_word_is_refused(self):
        # RFC 2047 words may encode a display name, never an address: Odoo
        # decodes them all, and would read each of these as alice@azure.test
        for email_from in (
            "=?utf-8?q?alice=40azure.test?=",
            "<=?utf-8?q?alice=40azure.test?=>",
            "Alice <=?utf-8?q?alice=40azure.test?=>",
            "=?utf-8?b?YWxpY2VAYXp1cmUudGVzdA==?=",
            "<=?utf-8?b?YWxpY2VAYXp1cmUudGVzdA==?=>",
            "=?utf-8?q?alice?=@azure.test",
            "Alice <=?utf-8?q?alice?=@azure.test>",
            "=?utf-8?q?=3Calice=40azure.test=3E?=",
        ):
            with self.subTest(email_from=email_from):
                refusal = self._assert_refused(
                    self._message(email_from=email_from), "sender_invalid"
                )
                self.assertFalse(refusal.reply_email)
                self.assertEqual(refusal.reply_state, "no_address")

    def test_two_from_headers(self):
        message = self._message(extra="From: Mallory <mallory@globex.test>\n")
        self._assert_refused(message, "sender_invalid")

    def test_address_shared_by_two_portal_users(self):
        twin = self.env["res.users"].create(
            {
                "name": "Alice Twin",
                "login": "alice-twin",
                "email": "alice@azure.test",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertTrue(twin.share)
        self._assert_refused(self._message(), "sender_ambiguous")

    def test_internal_or_archived_user_is_not_a_customer(self):
        self._assert_refused(
            self._message(
                email_from="Agent <agent@vendor.test>", subject="[agent] export"
            ),
            "sender_unknown",
        )
        self.alice.action_archive()
        self._assert_refused(self._message(), "sender_unknown")

    def test_automated_mail_is_kept_but_never_answered(self):
        for extra in (
            "Auto-Submitted: auto-replied\n",
            "Auto-Submitted: auto-generated\n",
            "Precedence: bulk\n",
            "Precedence: list\n",
            "Precedence: junk\n",
            "List-Id: <customers.azure.test>\n",
            "List-Unsubscribe: <mailto:leave@azure.test>\n",
            "X-Autoreply: yes\n",
            "X-Failed-Recipients: nobody@azure.test\n",
        ):
            with self.subTest(extra=extra):
                refusal = self._assert_refused(self._message(extra=extra), "automated")
                self.assertEqual(refusal.reply_state, "automated")
        refusal = self._assert_refused(self._message(return_path=""), "automated")
        self.assertEqual(refusal.reply_state, "automated")
        self._send_queued()
        self.assertFalse(self._mails_to("alice@azure.test"))

    def test_auto_submitted_no_is_a_person(self):
        self._process(self._message(extra="Auto-Submitted: no\n"))
        self.assertEqual(len(self._new_tickets()), 1)

    def test_delivery_report_is_a_bounce(self):
        boundary = "dsn-boundary"
        message = (
            "From: Mail Delivery System <MAILER-DAEMON@azure.test>\n"
            f"To: {PREMIUM}\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            f"Message-Id: {self._msg_id()}\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            f'\tboundary="{boundary}"\n\n'
            f"--{boundary}\n"
            "Content-Type: text/plain; charset=us-ascii\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n\n"
            f"--{boundary}\n"
            "Content-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; mx.azure.test\n\n"
            "Final-Recipient: rfc822; gone@azure.test\n"
            "Action: failed\nStatus: 5.1.1\n\n"
            f"--{boundary}\n"
            "Content-Type: message/rfc822\n\n"
            "From: alice@azure.test\nTo: gone@azure.test\n"
            "Message-Id: <original@azure.test>\nSubject: [alice] hi\n\nhi\n"
            f"--{boundary}--\n"
        )
        self.assertFalse(self._process(message))
        self.assertFalse(self._new_tickets())
        self._send_queued()
        self.assertFalse(self._mails_to("azure.test"))

    def test_one_reply_per_sender_per_hour(self):
        for __ in range(3):
            self._process(self._message(subject="no login"))
        refusals = self._new_refusals()
        self.assertEqual(
            refusals.mapped("reply_state"), ["pending", "throttled", "throttled"]
        )
        self._send_queued()
        self.assertEqual(len(self._mails_to("alice@azure.test")), 1)
        with freeze_time(fields.Datetime.now() + timedelta(minutes=61)):
            self._process(self._message(subject="still no login"))
            self.assertEqual(self._new_refusals()[-1:].reply_state, "pending")

    def test_one_reply_per_mailbox_whatever_its_tag_or_case(self):
        for email_from in (
            "someone+quote@elsewhere.test",
            "Someone <SOMEONE+Invoice@Elsewhere.TEST>",
            "someone@ELSEWHERE.test",
        ):
            self._process(self._message(email_from=email_from, subject="help"))
        refusals = self._new_refusals()
        self.assertEqual(
            refusals.mapped("reply_state"), ["pending", "throttled", "throttled"]
        )
        self.assertEqual(refusals[0].reply_email, "someone+quote@elsewhere.test")
        self._send_queued()
        self.assertEqual(len(self._mails_to("elsewhere.test")), 1)
        # another mailbox of the same domain is another sender
        self._process(self._message(email_from="other@elsewhere.test"))
        self.assertEqual(self._new_refusals()[-1].reply_state, "pending")

    def test_same_refused_message_twice_is_kept_and_answered_once(self):
        message = self._message(subject="no login", msg_id="<again@azure.test>")
        self._process(message)
        self._process(message)
        self.assertEqual(len(self._new_refusals()), 1)
        self._send_queued()
        self.assertEqual(len(self._mails_to("alice@azure.test")), 1)

    def test_no_reply_to_our_own_addresses(self):
        refusal = self._assert_refused(
            self._message(email_from=BASIC, subject="loop?"), "sender_unknown"
        )
        self.assertEqual(refusal.reply_state, "no_address")

    def test_refusals_are_for_managers(self):
        refusal = self._assert_refused(
            self._message(subject="no login"), "login_missing"
        )
        with self.assertRaises(AccessError):
            refusal.with_user(self.agent).read(["subject"])
        with self.assertRaises(AccessError):
            refusal.with_user(self.alice).read(["subject"])
        self.assertEqual(refusal.with_user(self.manager).subject, "no login")

    def test_manager_files_a_refused_email_as_a_ticket(self):
        refusal = self._assert_refused(
            self._message(email_from="alice.private@home.test", subject="export"),
            "sender_unknown",
        )
        refusal = refusal.with_user(self.manager)
        refusal.partner_id = self.alice.partner_id
        refusal.action_create_ticket()
        ticket = refusal.ticket_id
        self.assertEqual(refusal.state, "done")
        self.assertEqual(ticket.partner_id, self.alice.partner_id)
        self.assertEqual(ticket.team_id, self.premium_team)
        self.assertEqual(ticket.approval_state, "none")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.mimetype, "message/rfc822")
        self.assertIn(b"Subject: export", attachment.raw)


@tagged("post_install", "-at_install")
@freeze_time(OPEN_HOURS)
class TestMailIntakeRefusalStorage(MailIntakeCase):
    """What is kept of a refused email, and for how long: company settings."""

    def _raw_copy(self, refusal):
        return base64.b64decode(refusal.with_context(bin_size=False).raw_message)

    def test_settings_default_to_one_megabyte_and_ninety_days(self):
        company = self.env["res.company"].create({"name": "Fresh Company"})
        self.assertEqual(company.support_refused_mail_max_kb, 1024)
        self.assertEqual(company.support_refused_mail_retention_days, 90)
        settings = self.env["res.config.settings"].create(
            {
                "support_refused_mail_max_kb": 64,
                "support_refused_mail_retention_days": 30,
            }
        )
        settings.execute()
        self.assertEqual(self.company.support_refused_mail_max_kb, 64)
        self.assertEqual(self.company.support_refused_mail_retention_days, 30)
        view = self.env.ref("helpdesk_premium_support.res_config_settings_view_form")
        self.assertIn("support_refused_mail_max_kb", view.arch_db)
        self.assertIn("support_refused_mail_retention_days", view.arch_db)

    def test_refused_copy_is_cut_to_the_cap_with_its_headers_whole(self):
        self.company.support_refused_mail_max_kb = 2
        long_subject = "[someone] " + "very long subject " * 20
        body = "".join(f"line {n:05d} of a long log\n" for n in range(2000))
        message = self._message(
            email_from="someone@elsewhere.test",
            subject=long_subject,
            extra="X-Mailer: Long Mail 1.0\n",
        ).replace("Hello,\n", body)
        self.assertGreater(len(message), 40000)
        refusal = self._assert_refused(message, "sender_unknown")
        raw = self._raw_copy(refusal).replace(b"\r\n", b"\n")
        headers, __, kept_body = raw.partition(b"\n\n")
        self.assertIn(b"Received: by mx.azure.test", headers)
        self.assertIn(b"X-Mailer: Long Mail 1.0", headers)
        self.assertIn(b"very long subject " * 20, headers)
        self.assertIn(b"Content-Transfer-Encoding: 8bit", headers)
        # the copy is 2 KB, its marker aside: the headers, then what fits of
        # the body
        body_kept, marker = kept_body.rstrip(b"\n").rsplit(b"\n\n", 1)
        self.assertLessEqual(len(raw) - len(marker), 2048 + 4)
        self.assertTrue(body_kept.startswith(b"line 00000 of a long log"))
        self.assertNotIn(b"line 01999", raw)
        self.assertRegex(marker, rb"truncated to \d+ of the \d+ bytes of the body")
        # the parsed body is cut too
        self.assertLess(len(refusal.body), 2048 + 200)
        self.assertIn("line 00000", refusal.body)

    def test_small_refused_email_and_no_cap_are_kept_whole(self):
        message = self._message(email_from="someone@elsewhere.test")
        raw = self._raw_copy(self._assert_refused(message, "sender_unknown"))
        self.assertNotIn(b"truncated", raw)
        self.assertIn(b"Our invoice export", raw)
        self.company.support_refused_mail_max_kb = 0
        message = self._message(email_from="someone@elsewhere.test").replace(
            "Hello,\n", "x" * 5000 + "\n"
        )
        raw = self._raw_copy(self._assert_refused(message, "sender_unknown"))
        self.assertIn(b"x" * 5000, raw)

    def _purge(self):
        """Run the purge as its scheduled action does, with progress commits
        (a cursor of the test's own)."""
        cron = self.env.ref(
            "helpdesk_premium_support.ir_cron_premium_mail_refusal_purge"
        )
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            cron = cron.with_env(cron.env(cr=cr, context={"cron_id": cron.id}))
            cron, progress = cron._add_progress()
            cron.env["helpdesk.premium.mail.refusal"]._cron_purge(batch_size=2)
            return progress.done

    def test_refused_emails_are_deleted_after_the_retention_period(self):
        other_company = self.env["res.company"].create({"name": "Other Vendor"})
        other_company.support_refused_mail_retention_days = 10
        self.company.support_refused_mail_retention_days = 30
        for __ in range(5):
            self._process(self._message(email_from="someone@elsewhere.test"))
        refusals = self._new_refusals()
        old, recent = refusals[:3], refusals[3:]
        elsewhere = refusals[0].copy(
            {"company_id": other_company.id, "reason": "automated"}
        )
        self.env.flush_all()
        days = {**dict.fromkeys(old.ids, 31), **dict.fromkeys(recent.ids, 29)}
        days[elsewhere.id] = 11
        now = fields.Datetime.now()
        for refusal_id, age in days.items():
            self.Refusal.browse(refusal_id).date = now - timedelta(days=age)
        raw_ids = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self.Refusal._name),
                    ("res_field", "=", "raw_message"),
                    ("res_id", "in", old.ids),
                ]
            )
        )
        self.assertEqual(len(raw_ids), 3)
        self.assertEqual(self._purge(), 4)
        self.assertEqual(self._new_refusals(), recent)
        self.assertFalse(raw_ids.exists(), "the raw copies go with their entries")
        # a retention of 0 keeps everything
        self.company.support_refused_mail_retention_days = 0
        recent.date = now - timedelta(days=1000)
        self.assertEqual(self._purge(), 0)
        self.assertEqual(self._new_refusals(), recent)


@tagged("post_install", "-at_install")
@freeze_time(OPEN_HOURS)
class TestMailIntakeMime(MailIntakeCase):
    """Odd charsets, broken MIME, huge attachments: a ticket or a clean
    refusal, never a traceback."""

    def _raw(self, headers, body, subject="[alice] export", email_from=ALICE):
        return (
            f"From: {email_from}\nTo: {PREMIUM}\nSubject: {subject}\n"
            f"Message-Id: {self._msg_id()}\nMIME-Version: 1.0\n{headers}\n{body}"
        ).encode()

    def _assert_one_ticket(self, message):
        self._process(message)
        ticket = self._new_tickets()
        self.assertEqual(len(ticket), 1)
        self.last_ticket_id = ticket.id
        return ticket

    def _incoming(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.message_type == "email")

    def test_charsets(self):
        latin1 = (
            f"From: {ALICE}\nTo: {PREMIUM}\n"
            "Subject: =?iso-8859-1?q?=5Balice=5D_caf=E9_cr=E8me?=\n"
            f"Message-Id: {self._msg_id()}\n"
            "Content-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: 8bit\n\n"
        ).encode() + "Crème brûlée à la française\n".encode("iso-8859-1")
        ticket = self._assert_one_ticket(latin1)
        self.assertEqual(ticket.name, "[alice] café crème")
        self.assertIn("Crème brûlée", self._incoming(ticket).body)

        cp1252 = self._raw(
            "Content-Type: text/html; charset=windows-1252\n"
            "Content-Transfer-Encoding: 8bit\n",
            "",
        ) + "<p>\u201cquoted\u201d \u20ac 10</p>\n".encode("cp1252")
        ticket = self._assert_one_ticket(cp1252)
        self.assertIn("\u201cquoted\u201d \u20ac 10", self._incoming(ticket).body)

        utf8_b64 = self._raw(
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n",
            base64.encodebytes("Żółć 東京 ✓\n".encode()).decode(),
            subject="=?utf-8?b?"
            + base64.b64encode("[alice] 東京".encode()).decode()
            + "?=",
        )
        ticket = self._assert_one_ticket(utf8_b64)
        self.assertEqual(ticket.name, "[alice] 東京")
        self.assertIn("Żółć 東京 ✓", self._incoming(ticket).body)

        shift_jis = (
            f"From: {ALICE}\nTo: {PREMIUM}\nSubject: [alice] sjis\n"
            f"Message-Id: {self._msg_id()}\n"
            "Content-Type: text/plain; charset=shift_jis\n\n"
        ).encode() + "日本語のテキスト\n".encode("shift_jis")
        ticket = self._assert_one_ticket(shift_jis)
        self.assertIn("日本語のテキスト", self._incoming(ticket).body)

        no_charset_8bit = (
            self._raw("Content-Type: text/plain\n", "", subject="[alice] raw")
            + "naïve UTF-8 without charset\n".encode()
        )
        ticket = self._assert_one_ticket(no_charset_8bit)
        # read as ASCII, as Odoo does: the undecodable bytes are replaced
        self.assertIn("UTF-8 without charset", self._incoming(ticket).body)

    def test_unknown_charset(self):
        message = (
            self._raw("Content-Type: text/plain; charset=x-klingon\n", "")
            + b"Qapla\xe9 \xff batlh\n"
        )
        ticket = self._assert_one_ticket(message)
        self.assertIn("Qapla", self._incoming(ticket).body)

    def test_unknown_charset_in_the_subject(self):
        message = self._raw(
            "Content-Type: text/plain; charset=utf-8\n",
            "body\n",
            subject="=?x-klingon?q?alice_export?= [alice]",
        )
        self._assert_one_ticket(message)

    def test_eight_bit_headers(self):
        message = (
            b"From: Andr\xe9 <alice@azure.test>\nTo: " + PREMIUM.encode() + b"\n"
            b"Subject: [alice] caf\xe9 \xff\nMessage-Id: "
            + self._msg_id().encode()
            + b"\nContent-Type: text/plain; charset=utf-8\n\nhello\n"
        )
        self._assert_one_ticket(message)

    def test_nul_characters(self):
        """PostgreSQL text cannot hold NUL: encoded ones are dropped."""
        ticket = self._assert_one_ticket(
            self._raw(
                "Content-Type: multipart/mixed; boundary=B\n",
                "--B\nContent-Type: text/plain\n\nhi\n--B\n"
                "Content-Type: application/octet-stream\n"
                'Content-Disposition: attachment; filename="=?utf-8?q?a=00b.bin?="\n'
                "\nxx\n--B--\n",
                subject="=?utf-8?q?=5Balice=5D_x=00y?=",
                email_from="=?utf-8?q?Alice=00?= <alice@azure.test>",
            )
        )
        self.assertEqual(ticket.name, "[alice] xy")
        self.assertEqual(self._incoming(ticket).attachment_ids.name, "ab.bin")
        refusal = self._assert_refused(
            self._raw(
                "Content-Type: text/plain\n",
                "hi\n",
                subject="=?utf-8?q?no_login=00?=",
            ),
            "login_missing",
        )
        self.assertEqual(refusal.subject, "no login")

    def test_malformed_multipart(self):
        unterminated = self._raw(
            'Content-Type: multipart/mixed; boundary="XYZ"\n',
            "--XYZ\nContent-Type: text/plain\n\nbody text\n"
            "--XYZ\nContent-Type: application/pdf; name=a.pdf\n"
            "Content-Disposition: attachment; filename=a.pdf\n"
            "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n",
        )
        ticket = self._assert_one_ticket(unterminated)
        self.assertIn("body text", self._incoming(ticket).body)
        self.assertEqual(
            self._incoming(ticket).attachment_ids.mapped("name"), ["a.pdf"]
        )

        no_boundary = self._raw("Content-Type: multipart/mixed\n", "just text\n")
        self._assert_one_ticket(no_boundary)

        broken_base64 = self._raw(
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n",
            "SGVsbG8gd29y!!!bGQ=*\n",
        )
        self._assert_one_ticket(broken_base64)

        nested = self._raw(
            "Content-Type: multipart/alternative; boundary=A\n",
            "--A\nContent-Type: multipart/related; boundary=B\n\n"
            "--B\nContent-Type: text/html; charset=utf-16\n\n"
            "\xff\xfe<\x00p\x00\n--A--\n",
        )
        self._assert_one_ticket(nested)

        bad_content_type = self._raw("Content-Type: ;;;===\n", "body\n")
        self._assert_one_ticket(bad_content_type)

    def test_unparsable_sender_is_refused_cleanly(self):
        refusal = self._assert_refused(
            self._raw("Content-Type: text/plain\n", "hi\n", email_from='"'),
            "sender_invalid",
        )
        self.assertEqual(refusal.reply_state, "no_address")
        self.assertTrue(refusal.raw_message)

    def test_garbage(self):
        message = self._raw("Content-Type: text/plain\n", "\x00\x01\x02 garbage \xff\n")
        self._process(message)
        self.assertEqual(len(self._new_tickets()) + len(self._new_refusals()), 1)

    def test_huge_attachment(self):
        payload = base64.encodebytes(b"\x89PNG" + b"\x00" * (20 * 1024 * 1024))
        message = (
            self._raw(
                'Content-Type: multipart/mixed; boundary="big"\n',
                "--big\nContent-Type: text/plain\n\nscreenshot attached\n"
                "--big\nContent-Type: image/png; name=screen.png\n"
                "Content-Disposition: attachment; filename=screen.png\n"
                "Content-Transfer-Encoding: base64\n\n",
            )
            + payload
            + b"--big--\n"
        )
        ticket = self._assert_one_ticket(message)
        attachment = self._incoming(ticket).attachment_ids
        self.assertEqual(attachment.name, "screen.png")
        self.assertGreater(attachment.file_size, 20 * 1024 * 1024)
        # the same from an unknown sender: refused, its copy cut to 1 MB
        refused = message.replace(
            b"From: Alice Azure <alice@azure.test>", b"From: x@y.test"
        )
        refused = refused.replace(b"Message-Id: <", b"Message-Id: <refused-")
        refusal = self._assert_refused(refused, "sender_unknown")
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", refusal._name),
                    ("res_id", "=", refusal.id),
                    ("res_field", "=", "raw_message"),
                ]
            )
        )
        self.assertLess(attachment.file_size, 1024 * 1024 + 1024)
        self.assertIn(b"Subject: [alice] export", attachment.raw)
        self.assertIn(b"truncated", attachment.raw[-200:])


@tagged("post_install", "-at_install")
class TestMailIntakeHoursAndSuspension(MailIntakeCase):
    def _ack(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def test_acknowledgement_outside_business_hours_says_when_back(self):
        # Saturday 28 November 2026, 15:00 in Paris
        with freeze_time("2026-11-28 14:00:00"):
            self._process(self._message())
            ticket = self._new_tickets()
            self._send_queued()
        ack = self._ack(ticket, "We received your request")
        self.assertIn("o_support_back_at", ack.body)
        self.assertIn("Monday 30 November, 09:00", ack.body)

    def test_acknowledgement_in_the_evening(self):
        # Wednesday 25 November 2026, 19:00 in Paris: back Thursday 09:00
        with freeze_time("2026-11-25 18:00:00"):
            self._process(self._message())
            ticket = self._new_tickets()
            self._send_queued()
        self.assertIn(
            "Thursday 26 November, 09:00",
            self._ack(ticket, "We received your request").body,
        )

    def test_email_during_a_suspension_is_filed_as_basic(self):
        self.env["helpdesk.support.suspension"].create(
            {
                "name": "Summer closure",
                "date_from": "2026-08-15",
                "date_to": "2026-09-15",
                "message": "<p>We are on summer break.</p>",
            }
        )
        # The Date header says November: the server's clock decides.
        with freeze_time("2026-08-20 10:00:00"):
            self._process(self._message(date="Wed, 25 Nov 2026 10:00:00 +0100"))
            ticket = self._new_tickets()
            self.assertEqual(ticket.team_id, self.basic_team)
            self.assertEqual(ticket.premium_intake, "suspended")
            self.assertEqual(ticket.approval_state, "none")
            self.assertEqual(ticket.partner_id, self.alice.partner_id)
            self._send_queued()
            notice = self._ack(ticket, "Premium support is suspended")
            self.assertEqual(len(notice), 1)
            self.assertIn("We are on summer break.", notice.body)
            self.assertIn("08/15/2026", notice.body)
            self.assertIn("09/15/2026", notice.body)
            self.assertIn(self.alice.partner_id, notice.partner_ids)
            self.assertFalse(self._ack(ticket, "We received your request"))
        # And a Date header in August does not suspend anything in November.
        self.last_ticket_id = ticket.id
        with freeze_time("2026-11-25 10:00:00"):
            self._process(self._message(date="Thu, 20 Aug 2026 10:00:00 +0200"))
            ticket = self._new_tickets()
            self.assertEqual(ticket.team_id, self.premium_team)
            self.assertEqual(ticket.premium_intake, "request")

    def test_refused_email_during_a_suspension_stays_refused(self):
        self.env["helpdesk.support.suspension"].create(
            {
                "name": "Closed",
                "date_from": "2026-11-01",
                "date_to": "2026-11-30",
                "message": "<p>Closed.</p>",
            }
        )
        with freeze_time(OPEN_HOURS):
            self._assert_refused(
                self._message(email_from="x@elsewhere.test"), "sender_unknown"
            )
