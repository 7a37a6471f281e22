# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import PremiumSupportCase


@tagged("post_install", "-at_install")
class TestPortalCredits(PremiumSupportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)
        cls._buy(cls.bob.partner_id, cls.pack_1, 2)
        cls._buy(cls.mallory.partner_id, cls.pack_50)

    def test_my_credits_shows_the_company_wallet(self):
        self.authenticate("bob", "bob")
        response = self.url_open("/my/credits")
        self.assertEqual(response.status_code, 200)
        self.assertIn('<span class="o_support_credit_balance">12</span>', response.text)
        self.assertIn("Premium Support - 10 credits", response.text)
        self.assertEqual(response.text.count("o_support_credit_line"), 2)
        self.assertNotIn("Premium Support - 50 credits", response.text)

    def test_other_company_sees_only_its_own(self):
        self.authenticate("mallory", "mallory")
        response = self.url_open("/my/credits")
        self.assertIn('<span class="o_support_credit_balance">50</span>', response.text)
        self.assertEqual(response.text.count("o_support_credit_line"), 1)

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open("/my/credits", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_pager(self):
        wallet = self._wallet(self.customer)
        wallet._post_many(
            [{"amount": 1, "kind": "adjustment", "reason": "volume"}] * 79
        )
        self.authenticate("alice", "alice")
        first = self.url_open("/my/credits")
        second = self.url_open("/my/credits/page/2")
        self.assertEqual(first.text.count("o_support_credit_line"), 80)
        self.assertEqual(second.text.count("o_support_credit_line"), 1)
        self.assertIn('href="/my/credits/page/2"', first.text)
        # a page past the last shows the last, as Odoo's portal pager does
        past = self.url_open("/my/credits/page/9")
        self.assertEqual(past.text.count("o_support_credit_line"), 1)
        odd = self.url_open("/my/credits?page=x")
        self.assertEqual(odd.text.count("o_support_credit_line"), 80)

    def test_the_ledger_comes_a_page_at_a_time_from_the_partner(self):
        wallet = self._wallet(self.customer)
        wallet._post_many([{"amount": 1, "kind": "adjustment", "reason": "volume"}] * 4)
        newest = self.Line.sudo().search(
            [("wallet_id", "=", wallet.id)], order="date desc, id desc"
        )
        partner = self.alice.partner_id.with_user(self.alice)
        self.assertEqual(
            partner._get_support_credit_ledger(offset=2, limit=2),
            (16, 6, newest[2:4]),
        )
        # a balance the user may not see comes with no ledger either
        outsider = self.alice.partner_id.with_user(self.mallory)
        balance, count, lines = outsider._get_support_credit_ledger(0, 80)
        self.assertEqual((balance, count, lines.ids), (None, 0, []))

    def test_tour_portal_credits(self):
        self.start_tour(
            "/my/home", "helpdesk_premium_support_portal_credits", login="alice"
        )


@tagged("post_install", "-at_install")
class TestShopCredits(PremiumSupportCase, HttpCase):
    def test_tour_buy_credits_in_the_shop(self):
        self._wallet(self.customer)._post(2, "adjustment", "Welcome credits")
        self.alice.partner_id.write(
            {
                "street": "1 Azure Street",
                "city": "Brussels",
                "zip": "1000",
                "country_id": self.env.ref("base.be").id,
                "phone": "+32 2 000 00 00",
            }
        )
        demo = self.env.ref("payment.payment_provider_demo")
        self.assertIn(demo.state, ("test", "enabled"))
        category = self.env.ref(
            "helpdesk_premium_support.product_public_category_premium_support"
        )
        self.start_tour(
            f"/shop/category/{category.id}",
            "helpdesk_premium_support_shop_buy_credits",
            login="alice",
        )
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.alice.partner_id.id)], order="id desc", limit=1
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.customer.support_credit_balance, 12)
