# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request, route

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager

AWAITING = "awaiting_acceptance"


class PremiumSupportPortal(CustomerPortalHelpdesk):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "support_awaiting_count" in counters:
            values["support_awaiting_count"] = request.env[
                "helpdesk.ticket"
            ]._get_awaiting_acceptance_count(request.env.user)
        if not counters:
            user = request.env.user
            values["support_credit_balance"] = (
                user.partner_id._get_visible_support_credit_balance(user)
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
        step = self._items_per_page
        page = max(int(page) if str(page).isdigit() else 1, 1)  # as pager() reads it
        offset = (page - 1) * step
        balance, count, lines = partner._get_support_credit_ledger(offset, step)
        pager = portal_pager(url="/my/credits", total=count, page=page, step=step)
        if pager["offset"] != offset:  # past the last page: show the last one
            balance, count, lines = partner._get_support_credit_ledger(
                pager["offset"], step
            )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "support_credit_balance": balance,
                "support_credit_balance_visible": balance is not None,
                "support_credit_lines": lines,
                "pager": pager,
                "buy_credits_url": request.env[
                    "support.credit.wallet"
                ]._get_buy_credits_url(),
                "page_name": "support_credits",
            }
        )
        return request.render("helpdesk_premium_support.portal_my_credits", values)

    @route()
    def portal_my_tickets(self, filterby=None, search_in=None, search=None, **kw):
        """helpdesk_mgmt's ticket list, plus an "Awaiting acceptance" filter
        (carried through its search hook, so that its pager keeps it)."""
        awaiting = AWAITING in (filterby, search_in)
        if awaiting:
            filterby, search_in, search = "all", AWAITING, "pending"
        response = super().portal_my_tickets(
            filterby=filterby, search_in=search_in, search=search, **kw
        )
        qcontext = getattr(response, "qcontext", None)
        if qcontext and "searchbar_filters" in qcontext:
            qcontext["searchbar_filters"][AWAITING] = {
                "label": request.env._("Awaiting acceptance"),
                "domain": [],
            }
            if awaiting:
                qcontext.update(filterby=AWAITING, search_in="all", search="")
        return response

    def _ticket_get_search_domain(self, search_in, search):
        if search_in == AWAITING:
            return [("approval_state", "=", "pending")]
        return super()._ticket_get_search_domain(search_in, search)

    @route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """helpdesk_mgmt's ticket page, which carries the Accept button: no
        other site may frame it (clickjacking), as Odoo does for its own
        account and security pages."""
        response = super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values.update(
            ticket._get_cost_portal_values(
                request.env.user, cost_error=kwargs.get("cost_error")
            )
        )
        return values

    @route(
        "/my/ticket/<int:ticket_id>/cost/approve",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_ticket_cost_approve(self, ticket_id, cost_version=None, **kw):
        return self._portal_ticket_cost_decision(
            ticket_id, "action_approve_cost", cost_version
        )

    @route(
        "/my/ticket/<int:ticket_id>/cost/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_ticket_cost_cancel(self, ticket_id, cost_version=None, **kw):
        return self._portal_ticket_cost_decision(
            ticket_id, "action_cancel_cost", cost_version
        )

    def _portal_ticket_cost_decision(self, ticket_id, method, cost_version):
        """Call the customer's decision on the ticket as the logged-in user (the
        model checks who may decide) and come back to the ticket page."""
        try:
            self._document_check_access("helpdesk.ticket", ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        query = {}
        try:
            getattr(ticket, method)(cost_version=cost_version)
        except (AccessError, UserError) as error:
            query["cost_error"] = ticket._get_cost_error_code(error)
        return request.redirect_query(f"/my/ticket/{ticket_id}", query)
