# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Editable installs of the addon (pip install -e), for hatchling.

The editable wheel puts build/__editable__ on sys.path (dev-mode-dirs in
pyproject.toml); this hook makes build/__editable__/odoo/addons/<addon> a link
to the checkout, so that odoo.addons.helpdesk_premium_support is the checkout
whatever its folder is called.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ADDON_NAME = "helpdesk_premium_support"


class EditableAddonLinkHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if version != "editable":
            return
        root = Path(self.root).resolve()
        link = root / "build" / "__editable__" / "odoo" / "addons" / ADDON_NAME
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(root, target_is_directory=True)
