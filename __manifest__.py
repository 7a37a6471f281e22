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
        "resource",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/support_credit_security.xml",
        "security/premium_intake_security.xml",
        "data/product_data.xml",
        "data/mail_template_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/ir_cron_data.xml",
        "data/resource_calendar_data.xml",
        "data/ir_cron_intake_data.xml",
        "wizards/support_credit_adjust_wizard_views.xml",
        "wizards/helpdesk_ticket_split_wizard_views.xml",
        "views/support_credit_line_views.xml",
        "views/support_credit_wallet_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
        "views/helpdesk_ticket_intake_views.xml",
        "views/helpdesk_premium_mail_refusal_views.xml",
        "views/helpdesk_support_suspension_views.xml",
        "views/premium_intake_menus.xml",
    ],
    "demo": [
        "demo/premium_support_demo.xml",
        "demo/premium_support_intake_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "helpdesk_premium_support/static/src/scss/portal_ticket.scss",
        ],
        "web.assets_tests": [
            "helpdesk_premium_support/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
