# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""docs/benchmarks.png: the ratios to the baseline, and the balance read as
the ledger grows (venv, matplotlib)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend


def ratios(axes, table):
    y = list(range(len(table)))[::-1]
    colors = [
        "#607d8b" if r["met"] is None else ("#2e7d32" if r["met"] else "#c62828")
        for r in table
    ]
    axes.barh(y, [r["ratio"] for r in table], color=colors, height=0.6)
    for yy, r in zip(y, table, strict=True):
        end = r["ratio"]
        if r["target"]:
            axes.plot([r["target"]] * 2, [yy - 0.38, yy + 0.38], color="black", lw=2)
            end = max(end, r["target"])
        axes.text(end + 0.04, yy, f"{r['ratio']:.2f}x", va="center", fontsize=8)
    axes.axvline(1.0, color="#999999", lw=0.8, ls="--")
    axes.set_yticks(y)
    axes.set_yticklabels([r["short"] for r in table], fontsize=8)
    axes.set_xlabel("ratio to the baseline (time; lower is better)")
    axes.set_title(
        "Against plain Odoo / helpdesk_mgmt (green: meets the black target, "
        "red: misses, grey: no target)",
        fontsize=9,
    )
    axes.set_xlim(0, max(max(r["ratio"] for r in table) * 1.18, 1.6))


def balance(axes, points):
    """``points``: (ledger lines, balance read, plain field read)."""
    sizes = [size for size, _ours, _base in points]
    ours = [o["ms"] for _size, o, _base in points]
    axes.plot(sizes, ours, "o-", label="support_credit_balance")
    axes.plot(sizes, [b["ms"] for _s, _o, b in points], "s--", label="a plain field")
    axes.set_xscale("log")
    axes.set_ylim(0, max(ours) * 1.8)
    axes.set_xlabel("ledger lines of the wallet")
    axes.set_ylabel("median ms per read")
    axes.set_title("Balance read as the ledger grows", fontsize=9)
    for size, o, _base in points:
        axes.annotate(
            f"{o['queries']:g} q",
            (size, o["ms"]),
            textcoords="offset points",
            xytext=(0, 7),
            fontsize=7,
            ha="center",
        )
    axes.legend(fontsize=8, loc="lower right")


def chart(table, points, png, subtitle):
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(12.5, 5.6), gridspec_kw={"width_ratios": [1.6, 1]}
    )
    ratios(left, table)
    if points:
        balance(right, points)
    else:  # not measured in this run (tools/bench -k ...)
        right.set_axis_off()
    fig.suptitle(f"helpdesk_premium_support benchmarks, {subtitle}", fontsize=11)
    fig.tight_layout()
    fig.savefig(png, dpi=80, bbox_inches="tight")
