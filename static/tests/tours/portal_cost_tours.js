/* Copyright 2026 Premium Support for Odoo
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("helpdesk_premium_support_accept_cost", {
    steps: () => [
        {
            content: "The pending cost and the balance are shown",
            trigger: ".o_support_cost_panel:contains(3 credit(s)) .o_support_balance:contains(10)",
        },
        {
            content: "Accept the cost",
            trigger: ".o_support_cost_approve button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is premium now",
            trigger: ".o_support_premium:contains(3 credit(s))",
        },
        {
            content: "Go to the wallet",
            trigger: "body",
            run: () => {
                window.location.href = "/my/credits";
            },
            expectUnloadPage: true,
        },
        {
            content: "The balance dropped by the cost",
            trigger: ".o_support_credit_balance:contains(7)",
        },
        {
            content: "The spending is in the history",
            trigger: ".o_support_credit_line:contains(-3)",
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_premium_support_cancel_cost", {
    steps: () => [
        {
            content: "The pending cost is shown",
            trigger: ".o_support_cost_panel:contains(3 credit(s))",
        },
        {
            content: "Cancel the request",
            trigger: ".o_support_cost_cancel button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is cancelled",
            trigger: ".o_support_cancelled",
        },
        {
            content: "No acceptance panel any more",
            trigger: "body:not(:has(.o_support_cost_panel))",
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_premium_support_close_ticket", {
    steps: () => [
        {
            content: "The sidebar shows the ticket's number and a close button",
            trigger: ".o_portal_helpdesk_sidebar h2[data-id='number']:not(:empty)",
        },
        {
            content: "Close the ticket from the sidebar",
            trigger: "form[action='/ticket/close'] button:contains(Done)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is done and offers no close button any more",
            trigger: "body:not(:has(form[action='/ticket/close'])) .badge:contains(Done)",
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_premium_support_phone_cost_first", {
    steps: () => [
        {
            content: "On a phone, the cost panel comes before the ticket's sidebar",
            trigger: ".o_support_cost_panel",
            run: () => {
                const panel = document.querySelector(".o_support_cost_panel");
                const sidebar = document.querySelector("#sidebar_content");
                const [panelTop, sidebarTop] = [panel, sidebar].map(
                    (element) => element.getBoundingClientRect().top
                );
                if (!(panelTop < sidebarTop)) {
                    throw new Error(
                        `cost panel at ${panelTop}px, below the sidebar at ${sidebarTop}px`
                    );
                }
            },
        },
        {
            content: "Accept the cost",
            trigger: ".o_support_cost_approve button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is premium now",
            trigger: ".o_support_premium",
        },
    ],
});
