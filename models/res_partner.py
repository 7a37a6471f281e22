# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# Who may read a balance at all, for Odoo's field access check: helpdesk and
# sales staff, and portal users (who then see their own company's only). Any
# other internal user, and the public user, is refused the field.
# The internal users who see balances: helpdesk (own tickets or above) and
# sales staff.
SUPPORT_STAFF_GROUPS = (
    "helpdesk_mgmt.group_helpdesk_user_own,sales_team.group_sale_salesman"
)
SUPPORT_BALANCE_GROUPS = f"{SUPPORT_STAFF_GROUPS},base.group_portal"


class ResPartner(models.Model):
    _inherit = "res.partner"

    support_credit_balance = fields.Integer(
        compute="_compute_support_credit_balance",
        string="Support credits",
        groups=SUPPORT_BALANCE_GROUPS,
        help="Balance of the support credit wallet of this contact's company "
        "in the current company.",
    )

    @api.depends_context("company", "uid")
    @api.depends("commercial_partner_id")
    def _compute_support_credit_balance(self):
        """Computed as the caller (never in sudo for them): 0 for a partner
        whose balance the caller may not see (see
        ``_support_balance_visible_to``)."""
        visible = self._support_balance_visible_to()
        commercial_of = {p.id: p.commercial_partner_id for p in self.sudo()}
        balances = dict(
            self.env["support.credit.wallet"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", [commercial_of[p.id].id for p in visible]),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["balance:sum"],
            )
        )
        for partner in self:
            partner.support_credit_balance = (
                balances.get(commercial_of[partner.id], 0) if partner in visible else 0
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_wallet(self):
        wallets = (
            self.env["support.credit.wallet"]
            .sudo()
            .search_count([("partner_id", "in", self.ids)], limit=1)
        )
        if wallets:
            raise UserError(
                self.env._(
                    "This customer has a support credit wallet: deleting it would "
                    "destroy its credit ledger. Archive the contact instead."
                )
            )

    def _support_balance_visible_to(self, user=None):
        """The partners of ``self`` whose support credit balance ``user`` may
        see: the one rule of who sees a balance, used by the partner's and the
        ticket's balance fields, the portal pages and the emails.

        A balance is seen by the customer's own portal users (a portal user
        whose commercial partner is the partner's), by helpdesk staff
        (``group_helpdesk_user_own`` or above) and sales staff
        (``group_sale_salesman``), and by the superuser. Everybody else sees
        nothing: another internal user is refused the balance fields by Odoo
        itself (``groups=``, so the external API answers with an access error),
        a portal user of another company (a follower of a ticket, say) reads 0,
        and portal pages hide the balance from them and from access-token links
        (the public user).

        ``user`` defaults to the environment's user; without one, superuser
        mode (sudo) sees every balance: that is server code reading balances for
        its own purposes, never to show them to the current user."""
        if user is None:
            if self.env.su:
                return self
            user = self.env.user
        if user._is_superuser():
            return self
        if not user.share:
            staff = user.has_groups(SUPPORT_STAFF_GROUPS)
            return self if staff else self.browse()
        if user._is_public():
            return self.browse()
        own = user.sudo().partner_id.commercial_partner_id
        return self.browse(
            [p.id for p in self.sudo() if p.commercial_partner_id == own]
        )

    def _get_visible_support_credit_balance(self, user, company=None):
        """The balance of this contact's company wallet in ``company``
        (default: the current company) as ``user`` may see it: ``None`` when
        the balance is not theirs to see."""
        self.ensure_one()
        if not self._support_balance_visible_to(user):
            return None
        return (
            self.sudo().with_company(company or self.env.company).support_credit_balance
        )

    def _get_support_credit_ledger(self, offset=0, limit=None):
        """The balance of this contact's company wallet in the current
        company, its number of ledger lines and the lines from ``offset``
        (newest first, ``limit`` of them): ``(balance, count, lines)``.

        Reads through sudo, scoped to the contact's own commercial partner,
        and only when the current user may see that balance; otherwise
        ``(None, 0, no lines)`` (an internal user outside helpdesk and sales,
        on their own /my/credits, sees neither balance nor ledger). Balance and
        count are the wallet's stored columns: the ledger is not summed."""
        self.ensure_one()
        Line = self.env["support.credit.line"].sudo()
        if not self._support_balance_visible_to(self.env.user):
            return None, 0, Line
        wallet = (
            self.env["support.credit.wallet"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                ],
                limit=1,
            )
        )
        if not wallet:
            return 0, 0, Line
        lines = Line.search(
            [("wallet_id", "=", wallet.id)],
            order="date desc, id desc",
            offset=offset,
            limit=limit,
        )
        return wallet.balance, wallet.line_count, lines

    def action_open_support_credit_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_premium_support.support_credit_line_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_kind": 0}
        return action
