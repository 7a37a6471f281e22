# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Premium Support",
    "summary": "Prepaid support credits: packs sold in the shop, a shared company "
    "wallet, and per-ticket costs the customer accepts in the portal",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Premium Support for Odoo",
    "website": "https://github.com/premium-support-odoo/helpdesk_premium_support",
    "depends": [
        "helpdesk_mgmt",
        "sale_management",
        "website_sale",
        "portal",
        "mail",
    ],
    "data": [],
    "demo": [],
    "installable": True,
    "application": False,
}
