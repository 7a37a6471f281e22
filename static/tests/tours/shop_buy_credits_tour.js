/* Copyright 2026 Premium Support for Odoo
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import * as wsTourUtils from "@website_sale/js/tours/tour_utils";
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_premium_support_shop_buy_credits", {
    steps: () => [
        {
            content: "The packs are in the Premium Support category",
            trigger: "a:contains(Premium Support - 50 credits)",
        },
        {
            content: "Open the 10-credit pack",
            trigger: "a:contains(Premium Support - 10 credits)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Add it to the cart",
            trigger: "#add_to_cart",
            run: "click",
        },
        wsTourUtils.goToCart(),
        {
            content: "Checkout",
            trigger: "a[name='website_sale_main_button']",
            run: "click",
            expectUnloadPage: true,
        },
        ...wsTourUtils.payWithDemo(),
        {
            content: "Go to the wallet",
            trigger: "body",
            run: () => {
                window.location.href = "/my/credits";
            },
            expectUnloadPage: true,
        },
        {
            content: "10 more credits: 2 before, 12 now",
            trigger: ".o_support_credit_balance:contains(12)",
        },
        {
            content: "The purchase is in the history",
            trigger: ".o_support_credit_line:contains(Premium Support - 10 credits):contains(+10)",
        },
    ],
});
