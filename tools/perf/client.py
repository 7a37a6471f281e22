# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a customer's browser and a mail server do over HTTP, shared by the
load test's scenarios and the bench's HTTP measures (venv). Every answer is
classified by its code: the HTTP status, the path it redirects to and the
portal's ``cost_error`` code, never by words of a page or a URL."""

import re
import time
import xmlrpc.client
from urllib.parse import parse_qs, urlsplit

CSRF = re.compile(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"')
COST_VERSION = re.compile(r'name="cost_version"\s+value="(\d+)"')


def csrf(html):
    found = CSRF.search(html)
    return found and found.group(1)


def decision_outcome(response, ticket_id):
    """``accepted`` (back to the ticket page with no error), the refusal the
    portal names by its code (``cost_error=credits``, ``cost_error=stale``,
    ...), ``5xx``, or the status and path of any other answer."""
    status = response.status_code
    if status >= 500:
        return "5xx"
    location = urlsplit(response.headers.get("Location", ""))
    if status != 303 or location.path != f"/my/ticket/{ticket_id}":
        return f"HTTP {status} {location.path}"
    code = parse_qs(location.query).get("cost_error")
    return f"cost_error={code[0]}" if code else "accepted"


class Portal:
    """One browser logged in as a portal user with the login page's CSRF
    token. ``session`` is a locust HttpSession: it knows the server's URL,
    keeps the cookies and names each request in the statistics."""

    def __init__(self, session, login, password):
        self.session = session
        page = session.get("/web/login", name="GET /web/login")
        response = session.post(
            "/web/login",
            data={
                "login": login,
                "password": password,
                "csrf_token": csrf(page.text),
                "redirect": "/my",
            },
            name="POST /web/login",
            allow_redirects=False,
        )
        landing = urlsplit(response.headers.get("Location", "")).path
        if response.status_code != 303 or landing != "/my":
            raise RuntimeError(f"login {login}: HTTP {response.status_code} {landing}")

    def ticket_form(self, ticket_id):
        """The CSRF token and cost version of the ticket page's Accept form."""
        page = self.session.get(f"/my/ticket/{ticket_id}", name="GET /my/ticket/<id>")
        version = COST_VERSION.search(page.text)
        return csrf(page.text), version and version.group(1)

    def accept(self, ticket_id, token, version):
        """Press Accept; returns the outcome (``decision_outcome``)."""
        with self.session.post(
            f"/my/ticket/{ticket_id}/cost/approve",
            data={"csrf_token": token, "cost_version": version},
            name="POST /my/ticket/<id>/cost/approve",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            outcome = decision_outcome(response, ticket_id)
            if outcome == "5xx" or outcome.startswith("HTTP"):
                response.failure(outcome)
            else:
                response.success()
        return outcome

    def post_message(self, ticket_id, body):
        """Post in the ticket's chatter, as the portal's composer does."""
        response = self.session.post(
            "/mail/message/post",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": ticket_id,
                    "post_data": {
                        "body": body,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            },
            name="POST /mail/message/post",
        )
        return response.status_code == 200 and "error" not in response.json()


class MailGate:
    """What odoo-mailgate does for each delivery: ``message_process`` over
    XML-RPC as the administrator. ``request_event`` (locust's) gets each one
    in the statistics."""

    def __init__(self, url, db, request_event=None):
        self.proxy = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )
        self.db = db
        self.request_event = request_event

    def deliver(self, raw):
        """Returns (the thread the email went to or None, the error or None,
        the HTTP status of a protocol error or None)."""
        start = time.perf_counter()
        result = error = None
        try:
            result = self.proxy.execute_kw(
                self.db,
                2,
                "admin",
                "mail.thread",
                "message_process",
                [False, xmlrpc.client.Binary(raw.encode())],
                {},
            )
        except (xmlrpc.client.Fault, xmlrpc.client.ProtocolError) as fault:
            error = fault
        if self.request_event:
            self.request_event.fire(
                request_type="XML-RPC",
                name="mail.thread message_process",
                response_time=(time.perf_counter() - start) * 1000,
                response_length=len(raw),
                exception=error,
                context={},
            )
        thread = result if isinstance(result, int) and result else None
        return thread, error and str(error)[:300], getattr(error, "errcode", None)
