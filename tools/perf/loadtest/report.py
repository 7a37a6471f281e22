# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The results table of tools/loadtest, from the results of each scenario
and the ledger digests taken before and after the upgrade."""

import json
from pathlib import Path

from perf.loadtest import SCENARIOS, title

HEADER = ("scenario", "result", "requests", "median / p95", "outcome", "checks")
MEASURED = ("POST /my/ticket/<id>/cost/approve", "mail.thread message_process")


def scenario_row(path, name, sizes):
    if not path.exists():
        return (title(name, sizes), "not run", "", "", "", ""), False
    results = json.loads(path.read_text())
    checks = results.get("checks", [])
    ok = bool(checks) and all(check[1] for check in checks)
    main = next(
        (s for s in results["stats"] if s["name"] in MEASURED),
        {"requests": 0, "median_ms": 0, "p95_ms": 0},
    )
    row = (
        title(name, sizes),
        "PASS" if ok else "FAIL",
        f"{main['requests']} in {results['elapsed']:.1f} s",
        f"{main['median_ms']:.0f} / {main['p95_ms']:.0f} ms",
        results.get("summary", ""),
        f"{sum(1 for check in checks if check[1])}/{len(checks)}",
    )
    return row, ok


def upgrade_row(path):
    if not path.exists():
        return ("upgrade keeps every ledger line", "not run", "", "", "", ""), False
    before, after = [*path.read_text().splitlines(), "", ""][:2]
    same = bool(before) and before == after
    count = before.split()[0] if before else "?"
    outcome = f"{count} lines {'identical' if same else 'CHANGED'}"
    return (
        ("upgrade keeps every ledger line", "PASS" if same else "FAIL", "odoo -u")
        + ("", outcome, "1/1" if same else "0/1"),
        same,
    )


def report(results_dir, plan_path):
    """Print the table; return 0 when every check passed, else 1."""
    work = Path(results_dir)
    sizes = json.loads(Path(plan_path).read_text())["sizes"]
    rows = [scenario_row(work / f"{name}.json", name, sizes) for name in SCENARIOS]
    rows.append(upgrade_row(work / "upgrade.txt"))
    widths = [
        max(len(str(r[i])) for r in [HEADER, *[r for r, _ok in rows]]) for i in range(6)
    ]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    print(line)
    for n, row in enumerate([HEADER, *[r for r, _ok in rows]]):
        print(
            "| "
            + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            + " |"
        )
        if n == 0:
            print(line)
    print(line)
    return 0 if all(ok for _row, ok in rows) else 1
