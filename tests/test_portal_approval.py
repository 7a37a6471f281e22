# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, tagged

from .common import PremiumSupportCase

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@tagged("post_install", "-at_install")
class TestPortalApproval(PremiumSupportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._send_cost_to_alice()

    def _csrf_token(self):
        logged_in = self.session and self.session.uid
        page = self.url_open("/my/credits" if logged_in else "/web/login").text
        return re.search(r'csrf_token: "(\w+)"', page).group(1)

    def _post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self._csrf_token()
        return self.url_open(url, data=data, allow_redirects=False, **kwargs)

    def _approve_url(self, ticket=None):
        return f"/my/ticket/{(ticket or self.ticket).id}/cost/approve"

    def _assert_unchanged(self):
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_ticket_page_shows_the_panel(self):
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("o_support_cost_panel", page)
        self.assertIn('name="cost_version" value="1"', page)
        self.assertIn("3 credit(s)", page)
        self.assertIn("o_support_cost_approve", page)

    def test_accept_through_the_portal(self):
        self.authenticate("alice", "alice")
        response = self._post(self._approve_url(), {"cost_version": 1})
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{self.ticket.id}")
        )
        self.assertEqual(self.ticket.approval_state, "approved")
        self.assertEqual(self.customer.support_credit_balance, 7)
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("o_support_premium", page)

    def test_cancel_through_the_portal(self):
        self.authenticate("bob", "bob")
        self._post(f"/my/ticket/{self.ticket.id}/cost/cancel", {"cost_version": 1})
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_get_is_refused(self):
        self.authenticate("alice", "alice")
        response = self.url_open(self._approve_url() + "?cost_version=1")
        self.assertEqual(response.status_code, 405)
        self._assert_unchanged()

    def test_missing_csrf_token_is_refused(self):
        self.authenticate("alice", "alice")
        response = self._post(self._approve_url(), {"cost_version": 1}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self._assert_unchanged()

    def test_stale_cost_version_is_refused(self):
        self.ticket.with_user(self.agent).credit_cost = 4
        self.authenticate("alice", "alice")
        response = self._post(self._approve_url(), {"cost_version": 1})
        self.assertIn("cost_error=", response.headers["Location"])
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("changed to 4 credit(s)", page)
        self._assert_unchanged()

    def test_missing_version_is_refused(self):
        self.authenticate("alice", "alice")
        self._post(self._approve_url())
        self._assert_unchanged()

    def test_other_company_cannot_reach_the_ticket(self):
        self.authenticate("mallory", "mallory")
        response = self._post(self._approve_url(), {"cost_version": 1})
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self._assert_unchanged()

    def test_follower_of_another_company_is_refused(self):
        self.ticket.message_subscribe(partner_ids=self.mallory.partner_id.ids)
        self.authenticate("mallory", "mallory")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertNotIn("o_support_cost_approve", page)
        response = self._post(self._approve_url(), {"cost_version": 1})
        self.assertIn("cost_error=", response.headers["Location"])
        self._assert_unchanged()

    def test_extra_parameters_change_nothing(self):
        # the customer who may accept, adding to the form what she would like
        # to change: a lower cost, another state, amount, customer or user
        self.authenticate("alice", "alice")
        response = self._post(
            self._approve_url(),
            {
                "cost_version": 1,
                "credit_cost": 1,
                "amount": 1,
                "approval_state": "cancelled",
                "partner_id": self.mallory.partner_id.id,
                "uid": self.bob.id,
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("cost_error", response.headers["Location"])
        self.ticket.invalidate_recordset()
        self.assertEqual(
            (
                self.ticket.approval_state,
                self.ticket.credit_cost,
                self.ticket.partner_id,
                self.ticket.approved_by_id,
            ),
            ("approved", 3, self.alice.partner_id, self.alice),
        )
        spend = self.Line.sudo().search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual((spend.amount, spend.user_id), (-3, self.alice))
        self.assertEqual(self.customer.support_credit_balance, 7)

    def test_anonymous_and_access_token_are_refused(self):
        response = self._post(self._approve_url(), {"cost_version": 1})
        self.assertIn("/web/login", response.headers["Location"])
        self.ticket._portal_ensure_token()
        response = self._post(
            self._approve_url() + f"?access_token={self.ticket.access_token}",
            {"cost_version": 1},
        )
        self.assertIn("/web/login", response.headers["Location"])
        self._assert_unchanged()

    def test_short_balance_shows_missing_credits_and_buy_link(self):
        self.ticket.with_user(self.agent).credit_cost = 13
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("3 credit(s) missing", page)
        self.assertIn("/shop/category/", page)
        response = self._post(self._approve_url(), {"cost_version": 2})
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_support_cost_error", page)
        self.assertIn("3 credit(s) missing", page)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.approval_state, "pending")

    def test_xss_payloads_are_escaped(self):
        ticket = self._ticket(self.alice.partner_id, name=XSS, credit_cost=1)
        ticket.with_user(self.agent).action_request_approval()
        ticket.message_post(body=XSS, message_type="comment")
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertNotIn("<script>alert", page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&lt;script&gt;alert", page)
        response = self._post(
            f"/my/ticket/{ticket.id}/cost/approve", {"cost_version": XSS}
        )
        page = self.url_open(response.headers["Location"]).text
        self.assertNotIn("<script>alert", page)

    def test_ticket_close_route_requires_post_csrf_and_ownership(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        params = {"ticket_id": self.ticket.id, "stage_id": done.id}
        self.authenticate("mallory", "mallory")
        response = self.url_open(
            f"/ticket/close?ticket_id={self.ticket.id}&stage_id={done.id}"
        )
        self.assertEqual(response.status_code, 405)
        self._post("/ticket/close", params)
        self._assert_unchanged()
        self.assertNotEqual(self.ticket.stage_id, done)
        self.authenticate("alice", "alice")
        response = self._post("/ticket/close", params, csrf=False)
        self.assertEqual(response.status_code, 400)
        self._post("/ticket/close", params)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.stage_id, done)
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_ticket_page_sidebar_offers_the_post_close_form(self):
        self.authenticate("alice", "alice")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        sidebar = page[page.index("o_portal_helpdesk_sidebar") :]
        number = re.search(r'<h2[^>]*data-id="number"[^>]*>([^<]*)</h2>', sidebar)
        self.assertEqual(number.group(1).strip(), self.ticket.number)
        form = re.search(r'<form[^>]*action="/ticket/close"[^>]*>', sidebar)
        self.assertTrue(form, "no close button in the ticket's sidebar")
        self.assertIn('method="POST"', form.group(0))
        self.assertIn('name="csrf_token"', sidebar[form.end() : form.end() + 300])

    def test_tour_close_a_ticket_from_the_sidebar(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.start_tour(
            f"/my/ticket/{self.ticket.id}",
            "helpdesk_premium_support_close_ticket",
            login="alice",
        )
        self.assertEqual(self.ticket.stage_id, done)
        self.assertTrue(self.ticket.closed)
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_tour_accept_a_cost(self):
        self.start_tour(
            f"/my/ticket/{self.ticket.id}",
            "helpdesk_premium_support_accept_cost",
            login="alice",
        )
        self.assertEqual(self.ticket.approval_state, "approved")
        self.assertEqual(self.customer.support_credit_balance, 7)

    def test_tour_cancel_a_cost(self):
        self.start_tour(
            f"/my/ticket/{self.ticket.id}",
            "helpdesk_premium_support_cancel_cost",
            login="bob",
        )
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertEqual(self.customer.support_credit_balance, 10)


@tagged("post_install", "-at_install")
class TestPortalApprovalPhone(PremiumSupportCase, HttpCase):
    browser_size = "390x844"

    def test_tour_on_a_phone_the_cost_comes_before_the_sidebar(self):
        self._buy(self.alice.partner_id, self.pack_10)
        ticket = self._ticket(self.alice.partner_id, credit_cost=3)
        ticket.with_user(self.agent).action_request_approval()
        self.start_tour(
            f"/my/ticket/{ticket.id}",
            "helpdesk_premium_support_phone_cost_first",
            login="alice",
        )
        self.assertEqual(ticket.approval_state, "approved")
