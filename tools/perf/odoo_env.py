# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An Odoo environment on a database, outside any server (Odoo python)."""

_configured = []


def open_env(conf, db):
    """A superuser environment on a new cursor of ``db``'s registry, with the
    server configuration ``conf`` (read once per process). The caller commits
    or rolls back, and closes ``env.cr``."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if not _configured:
        config.parse_config(["-c", conf], setup_logging=True)
        _configured.append(conf)
    return api.Environment(Registry(db).cursor(), SUPERUSER_ID, {})
