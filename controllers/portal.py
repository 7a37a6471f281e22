# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class PremiumSupportPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["support_credit_balance"] = (
                request.env.user.partner_id.support_credit_balance
            )
        return values

    @route(
        ["/my/credits", "/my/credits/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_credits(self, page=1, **kw):
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            partner._get_support_credit_portal_values(
                page=page, step=self._items_per_page, pager=portal_pager
            )
        )
        values["page_name"] = "support_credits"
        return request.render("helpdesk_premium_support.portal_my_credits", values)
