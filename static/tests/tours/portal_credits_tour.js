/* Copyright 2026 Premium Support for Odoo
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_premium_support_portal_credits", {
    url: "/my/home",
    steps: () => [
        {
            content: "My Account shows the company's support credits",
            trigger: ".o_support_credit_home_balance:contains(12 credit(s))",
        },
        {
            content: "Open the wallet page",
            trigger: "a[href='/my/credits']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The balance is the company's",
            trigger: ".o_support_credit_balance:contains(12)",
        },
        {
            content: "The ledger shows the purchase",
            trigger: ".o_support_credit_line:contains(Premium Support - 10 credits):contains(+10)",
        },
        {
            content: "A buy button leads to the packs",
            trigger: "a.o_support_credit_buy[href^='/shop']",
        },
    ],
});
