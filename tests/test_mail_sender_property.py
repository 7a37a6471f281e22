# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The From header of a premium email, read by ``get_strict_sender``, against
generated headers: encoded words, comments, quoted strings, groups, several
addresses, odd whitespace and case. Whatever the header, the parser never
raises, and an identity it accepts is there literally, undecoded, as the one
address of the header."""

import base64
import email.errors
import quopri
from email.header import decode_header

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.helpdesk_premium_support.models.mail_intake_rules import (
    ADDRESS_RE,
    get_strict_sender,
)

ATEXT = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
)
SPACES = st.sampled_from(["", " ", "  ", "\t", " \t ", "\r\n ", "\n\t"])
CASE = st.sampled_from([str.lower, str.upper, str.title, lambda text: text])


def _encoded_word(text, encoding, charset="utf-8"):
    payload = text.encode("utf-8")
    if encoding.lower() == "b":
        body = base64.b64encode(payload).decode()
    else:
        body = quopri.encodestring(payload, header=True).decode().replace("=\n", "")
    return f"=?{charset}?{encoding}?{body}?="


atoms = st.text(alphabet=ATEXT, min_size=1, max_size=8)
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", fullmatch=True)
domains = st.builds(
    lambda parts, tld: ".".join([*parts, tld]),
    st.lists(labels, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
local_parts = st.builds(
    lambda parts, tag: ".".join(parts) + (f"+{tag}" if tag else ""),
    st.lists(atoms, min_size=1, max_size=3),
    st.one_of(st.none(), atoms),
)
addresses = st.builds(
    lambda local, domain, case: case(f"{local}@{domain}"), local_parts, domains, CASE
)
# text people, robots and attackers put in a display name or a comment
free_text = st.one_of(
    st.text(max_size=20),
    addresses,
    st.builds(lambda a: f"<{a}>", addresses),
    st.builds(lambda a, b: f"{a}, {b}", addresses, addresses),
    st.sampled_from(["Alice", "Doe, John", "a;b", "Team:", "x@", "＠", "\\", "()"]),
)
encoded_words = st.builds(
    _encoded_word,
    free_text,
    st.sampled_from(["q", "b", "Q", "B"]),
    st.sampled_from(["utf-8", "UTF-8", "iso-8859-1", "x-unknown"]),
)
quoted_strings = st.builds(
    lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"',
    free_text,
)
comments = st.one_of(
    st.builds(lambda text: f"({text})", free_text),
    st.builds(lambda a, b: f"({a} ({b}))", atoms, free_text),
)
# an address where one is expected, or something pretending to be one
address_slots = st.one_of(
    addresses,
    addresses,
    encoded_words,
    st.builds(lambda word, domain: f"{word}@{domain}", encoded_words, domains),
    st.builds(lambda a, c: f"{a}{c}", addresses, comments),
)
display_parts = st.one_of(atoms, quoted_strings, encoded_words, comments)
displays = st.builds(
    lambda parts, sep: sep.join(parts) if sep else " ".join(parts),
    st.lists(display_parts, max_size=3),
    SPACES,
)
mailboxes = st.one_of(
    st.builds(
        lambda display, s1, address, s2: f"{display}{s1}<{address}>{s2}",
        displays,
        SPACES,
        address_slots,
        SPACES,
    ),
    address_slots,
    st.builds(lambda a, s, c: f"{a}{s}{c}", address_slots, SPACES, comments),
)
headers = st.one_of(
    mailboxes,
    st.builds(
        lambda boxes, sep: sep.join(boxes),
        st.lists(mailboxes, min_size=2, max_size=3),
        st.sampled_from([", ", ",", " ", "; "]),
    ),
    st.builds(
        lambda name, boxes: f"{name}: {', '.join(boxes)};",
        atoms,
        st.lists(mailboxes, max_size=2),
    ),
    st.text(max_size=60),
)


@tagged("post_install", "-at_install")
class TestSenderProperty(BaseCase):
    def _check(self, header):
        identity, reply_to = get_strict_sender([header])
        for value in (identity, reply_to):
            if value is not None:
                self.assertIsInstance(value, str)
                self.assertEqual(value, value.lower())
                self.assertTrue(ADDRESS_RE.fullmatch(value), value)
                self.assertNotIn("=?", value)
                # the address is there as received, not decoded from anything
                self.assertIn(value, header.lower())
        if identity is None:
            return
        self.assertEqual(identity, reply_to)
        # the one address of the header: no other "@" anywhere, not even in
        # the display name, a quoted string or a comment, and no encoded word
        # that decodes to one
        self.assertEqual(header.count("@"), 1, header)
        self.assertEqual(_decoded(header).count("@"), 1, header)
        self.assertNotIn("\uff20", _decoded(header), header)

    @settings(
        max_examples=1500,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(headers)
    @example("=?utf-8?q?alice=40azure.test?=")
    @example("<=?utf-8?q?alice=40azure.test?=>")
    @example("Alice <=?utf-8?q?alice?=@azure.test>")
    @example("=?utf-8?b?YWxpY2VAYXp1cmUudGVzdA==?= <mallory@globex.test>")
    @example('"Alice <alice@azure.test>" <mallory@globex.test>')
    @example("Team: <alice@azure.test>;")
    @example("Alice (a (nested) comment) <alice@azure.test>")
    def test_parser_never_raises_and_accepts_only_a_literal_single_address(
        self, header
    ):
        self._check(header)

    @settings(max_examples=300, deadline=None, database=None)
    @given(displays, SPACES, addresses)
    @example("=?x-unknown?q?0?= =?utf-8?b?MEAwLmFh?=", "", "0@0.aa")
    @example("=?utf-8?B?0@0.aa?=", "", "0@0.aa")
    @example("", "", "=?@0.aa")
    def test_a_plain_address_with_any_harmless_display_name_is_accepted(
        self, display, space, address
    ):
        header = f"{display}{space}<{address}>"
        identity, __ = get_strict_sender([header])
        decoded = _decoded(display)
        hides_an_address = any(char in display + decoded for char in "@<>＠﹫")
        harmless = not hides_an_address and not any(
            char in display for char in ',;:[]\\"()'
        )
        # an address that starts an encoded word is refused on purpose
        if harmless and "=?" not in address:
            self.assertEqual(identity, address.lower(), header)
        self._check(header)


def _decoded(text):
    """``text`` with its encoded words decoded as Python's email package (and
    so Odoo) decodes them, each part on its own: one in an unknown charset
    does not hide the others."""
    try:
        parts = decode_header(text)
    except (LookupError, ValueError, UnicodeError, email.errors.MessageError):
        return text
    decoded = []
    for part, charset in parts:
        if isinstance(part, bytes):
            try:
                part = part.decode(charset or "ascii", "replace")
            except LookupError:
                part = part.decode("utf-8", "replace")
        decoded.append(part)
    return "".join(decoded)
