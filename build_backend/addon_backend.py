# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PEP 517 build backend for this Odoo addon, standard library only.

The repository root is the addon itself. Wheels install it as the namespace
package ``odoo/addons/helpdesk_premium_support``, whatever the checkout folder
is called. Editable wheels carry a ``.pth`` file pointing to
``<checkout>/build/__editable__``, which holds
``odoo/addons/helpdesk_premium_support`` as a symlink to the checkout.

The hooks run with the source tree as the current directory (PEP 517).
"""

import ast
import base64
import csv
import gzip
import hashlib
import io
import os
import stat
import subprocess
import tarfile
import time
import zipfile
from pathlib import Path

ADDON_NAME = "helpdesk_premium_support"
DIST_NAME = f"odoo-addon-{ADDON_NAME}"
# File name form of the distribution name (wheel, sdist, dist-info).
DIST_STEM = DIST_NAME.replace("-", "_")
# Addons this one depends on that are not shipped with Odoo itself; each one
# becomes a requirement on its own ``odoo-addon-*`` distribution.
NON_CORE_DEPENDS = frozenset({"helpdesk_mgmt"})
# Root-level paths that build the package but are not part of the addon.
BUILD_ONLY_PATHS = ("pyproject.toml", "build_backend/", "PKG-INFO")
# Paths never packaged when the file list does not come from git.
UNTRACKED_DIRS = frozenset({".git", "build", "dist", "__pycache__"})
LICENSE_CLASSIFIERS = {
    "AGPL-3": "GNU Affero General Public License v3 or later (AGPLv3+)",
    "GPL-3": "GNU General Public License v3 (GPLv3)",
    "LGPL-3": "GNU Lesser General Public License v3 (LGPLv3)",
}
# Fixed timestamp for reproducible archives, unless SOURCE_DATE_EPOCH is set.
DEFAULT_EPOCH = 315532800  # 1980-01-01, the earliest date a zip file can hold


def _root():
    return Path.cwd()


def _manifest():
    text = (_root() / "__manifest__.py").read_text(encoding="utf-8")
    return ast.literal_eval(text)


def _version(manifest):
    version = manifest["version"]
    parts = version.split(".")
    if len(parts) != 5 or not all(part.isdigit() for part in parts):
        raise ValueError(
            f"__manifest__.py version {version!r} is not of the form "
            "<odoo series>.x.y.z, e.g. 19.0.1.0.0"
        )
    return version


def _requirements(manifest):
    series = ".".join(_version(manifest).split(".")[:2])
    requirements = [f"odoo=={series}.*"]
    for addon in manifest.get("depends", []):
        if addon in NON_CORE_DEPENDS:
            requirements.append(f"odoo-addon-{addon}=={series}.*")
    external = manifest.get("external_dependencies", {})
    requirements.extend(external.get("python", []))
    return requirements


def _metadata():
    """Return the core metadata file (METADATA / PKG-INFO) as text."""
    manifest = _manifest()
    version = _version(manifest)
    series = ".".join(version.split(".")[:2])
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DIST_NAME}",
        f"Version: {version}",
        f"Summary: {' '.join(manifest.get('summary', manifest['name']).split())}",
    ]
    if manifest.get("website"):
        lines.append(f"Home-page: {manifest['website']}")
    if manifest.get("author"):
        lines.append(f"Author: {manifest['author']}")
    if manifest.get("license"):
        lines.append(f"License: {manifest['license']}")
    lines += [
        "Requires-Python: >=3.10",
        "Classifier: Programming Language :: Python",
        "Classifier: Framework :: Odoo",
        f"Classifier: Framework :: Odoo :: {series}",
    ]
    license_classifier = LICENSE_CLASSIFIERS.get(manifest.get("license"))
    if license_classifier:
        lines.append(f"Classifier: License :: OSI Approved :: {license_classifier}")
    lines += [f"Requires-Dist: {req}" for req in _requirements(manifest)]
    readme = _root() / "README.md"
    if readme.is_file():
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + readme.read_text(encoding="utf-8")
    return "\n".join(lines) + "\n"


def _wheel_info():
    return (
        "Wheel-Version: 1.0\n"
        "Generator: helpdesk_premium_support build_backend\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )


def _source_files():
    """Return the relative POSIX paths of the files in the source tree.

    These are the files git tracks, when the tree is a git work tree, or else
    every file except build output and caches (e.g. when building from an
    unpacked sdist).
    """
    root = _root()
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):
        listing = None
    if listing is not None:
        paths = [path for path in listing.split("\0") if path]
        return sorted(path for path in paths if (root / path).is_file())
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            name
            for name in dirnames
            if name not in UNTRACKED_DIRS and not name.endswith(".egg-info")
        ]
        for name in filenames:
            if not name.endswith(".pyc"):
                full = Path(dirpath, name)
                paths.append(full.relative_to(root).as_posix())
    return sorted(paths)


def _addon_files():
    return [
        path
        for path in _source_files()
        if not any(
            path == entry or (entry.endswith("/") and path.startswith(entry))
            for entry in BUILD_ONLY_PATHS
        )
    ]


def _epoch():
    return int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))


def _is_executable(path):
    return bool(path.stat().st_mode & stat.S_IXUSR)


class _WheelWriter:
    """Write a wheel, keeping its RECORD as files are added."""

    def __init__(self, path, dist_info):
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self._dist_info = dist_info
        self._records = []
        self._date_time = time.gmtime(max(_epoch(), DEFAULT_EPOCH))[:6]

    def add(self, arcname, data, executable=False):
        info = zipfile.ZipInfo(arcname, date_time=self._date_time)
        mode = 0o755 if executable else 0o644
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(info, data)
        digest = hashlib.sha256(data).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        self._records.append((arcname, f"sha256={encoded}", str(len(data))))

    def close(self):
        record_name = f"{self._dist_info}/RECORD"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows(self._records)
        writer.writerow((record_name, "", ""))
        self.add(record_name, buffer.getvalue().encode("utf-8"))
        self._zip.close()


def _dist_info_name():
    return f"{DIST_STEM}-{_version(_manifest())}.dist-info"


def _write_wheel(wheel_directory, add_payload):
    version = _version(_manifest())
    wheel_name = f"{DIST_STEM}-{version}-py3-none-any.whl"
    dist_info = _dist_info_name()
    writer = _WheelWriter(Path(wheel_directory) / wheel_name, dist_info)
    add_payload(writer)
    writer.add(f"{dist_info}/METADATA", _metadata().encode("utf-8"))
    writer.add(f"{dist_info}/WHEEL", _wheel_info().encode("utf-8"))
    writer.close()
    return wheel_name


def _prepare_metadata(metadata_directory):
    dist_info = Path(metadata_directory) / _dist_info_name()
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata(), encoding="utf-8")
    (dist_info / "WHEEL").write_text(_wheel_info(), encoding="utf-8")
    return dist_info.name


# PEP 517 / PEP 660 hooks


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _prepare_metadata(metadata_directory)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _prepare_metadata(metadata_directory)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    root = _root()

    def add_addon(writer):
        for path in _addon_files():
            source = root / path
            writer.add(
                f"odoo/addons/{ADDON_NAME}/{path}",
                source.read_bytes(),
                executable=_is_executable(source),
            )

    return _write_wheel(wheel_directory, add_addon)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    root = _root()
    editable_root = root / "build" / "__editable__"
    link = editable_root / "odoo" / "addons" / ADDON_NAME
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(root, target_is_directory=True)

    def add_pth(writer):
        writer.add(f"{DIST_STEM}.pth", f"{editable_root}\n".encode())

    return _write_wheel(wheel_directory, add_pth)


def build_sdist(sdist_directory, config_settings=None):
    root = _root()
    base = f"{DIST_STEM}-{_version(_manifest())}"
    sdist_name = f"{base}.tar.gz"
    epoch = _epoch()

    def tar_info(name, size, executable=False):
        info = tarfile.TarInfo(f"{base}/{name}")
        info.size = size
        info.mtime = epoch
        info.mode = 0o755 if executable else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    # The gzip header gets no file name and a fixed mtime, for reproducibility.
    with (
        open(Path(sdist_directory) / sdist_name, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path in _source_files():
            if path == "PKG-INFO":
                continue
            source = root / path
            data = source.read_bytes()
            info = tar_info(path, len(data), _is_executable(source))
            tar.addfile(info, io.BytesIO(data))
        pkg_info = _metadata().encode("utf-8")
        tar.addfile(tar_info("PKG-INFO", len(pkg_info)), io.BytesIO(pkg_info))
    return sdist_name
