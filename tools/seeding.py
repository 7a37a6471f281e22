# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data that tools/bench and tools/loadtest both prepare: an agent, customer
companies with portal contacts, orders of packs, premium requests waiting for
their cost to be accepted. Each function takes an Odoo environment; nothing
here imports Odoo, so the scripts can import it on either side."""


def create_agent(env, name, login):
    """A helpdesk and sales manager who confirms orders and sends costs."""
    return env["res.users"].create(
        {
            "name": name,
            "login": login,
            "email": f"{login}@vendor.example",
            "group_ids": [
                (4, env.ref("helpdesk_mgmt.group_helpdesk_manager").id),
                (4, env.ref("sales_team.group_sale_manager").id),
            ],
        }
    )


def create_customers(env, companies):
    """``{company name: [(login, email), ...]}``: the companies and one portal
    contact of each company per login, in one batch. Returns (companies, users),
    each in the order given."""
    partners = env["res.partner"].create(
        [{"name": name, "is_company": True} for name in companies]
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"{name} contact {n}",
                    "login": login,
                    "email": email,
                    "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                }
                for name, contacts in companies.items()
                for n, (login, email) in enumerate(contacts)
            ]
        )
    )
    parents = [
        partner
        for partner, contacts in zip(partners, companies.values(), strict=True)
        for _contact in contacts
    ]
    for user, parent in zip(users, parents, strict=True):
        user.partner_id.parent_id = parent
    return partners, users


def confirm_order(env, agent, partner, product, quantity=1, count=1):
    """``count`` orders of ``quantity`` of ``product`` (a variant) for
    ``partner``, created and confirmed by ``agent`` in one batch."""
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": quantity})
                ],
            }
            for _n in range(count)
        ]
    )
    orders.with_user(agent).action_confirm()
    return orders


def create_requests(env, agent, team, partners, name, cost=False):
    """One ticket of ``team`` per partner of ``partners`` (a partner may come
    back), named "``name`` N". With ``cost``, each costs one credit and waits
    for the customer's acceptance (the agent sent the cost)."""
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"{name} {n}",
                "description": "<p>Please look at it.</p>",
                "partner_id": partner.id,
                "team_id": team.id,
                **({"credit_cost": 1} if cost else {}),
            }
            for n, partner in enumerate(partners)
        ]
    )
    if cost:
        tickets.with_user(agent).action_request_approval()
    return tickets


def share_password(env, users, password):
    """Give ``users`` the same password: hashed once, copied in SQL (hashing
    a hundred passwords one by one takes a minute)."""
    users[:1].password = password
    env.flush_all()
    env.cr.execute(
        "UPDATE res_users SET password = (SELECT password FROM res_users WHERE id = %s)"
        " WHERE id = ANY(%s)",
        [users[0].id, users.ids],
    )
    env["res.users"].invalidate_model(["password"])
