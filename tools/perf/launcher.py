# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Writes the script that starts a multi-worker Odoo server.

    python -m perf.launcher --python P --out F

The prefork server starts its websocket worker by running its own argv[0]
again with "gevent": that needs a script, not "python3 -m odoo"."""

import argparse
from pathlib import Path

LAUNCHER = """#!{python}
# Starts Odoo. Where gevent cannot monkey-patch in this python, the websocket
# worker would crash and be restarted in a loop, burning the CPU that is being
# measured: it says so once and idles instead (nothing measured uses websockets).
import os
import sys
import time

if sys.argv[1:2] == ["gevent"]:
    try:
        from odoo.cli.command import main
    except Exception as error:
        print(f"websocket worker unavailable, idle instead: {{error!r}}", flush=True)
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(1)
        sys.exit(0)
else:
    from odoo.cli.command import main
main()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    path = Path(args.out)
    path.write_text(LAUNCHER.format(python=args.python))
    path.chmod(0o755)


if __name__ == "__main__":
    main()
