# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The steps of tools/loadtest (the data comes from perf.seeding):

python -m perf.loadtest drive  --plan P --url U --db D --scenario S --out R
                               the HTTP load (venv, locust)
python -m perf.loadtest check  --conf C --db D --plan P --scenario S
                               --results R --log L --log-offset-file F
                               the checks (Odoo python)
python -m perf.loadtest hash   --db D     digest of every ledger line
python -m perf.loadtest report --results-dir W --plan P   the table"""

import argparse
import importlib
import json
import sys
from pathlib import Path

from perf.loadtest import SCENARIOS

LEDGER_DIGEST = """
    SELECT (SELECT COUNT(*) FROM support_credit_line),
           (SELECT md5(COALESCE(string_agg(
               (to_jsonb(l) - 'write_date' - 'write_uid')::text, E'\\n'
               ORDER BY l.id), '')) FROM support_credit_line l),
           (SELECT md5(COALESCE(string_agg(id || ':' || balance, ',' ORDER BY id), ''))
              FROM support_credit_wallet)
"""


def drive(args):
    from gevent import monkey

    monkey.patch_all()
    from perf.loadtest import runner

    scenario = importlib.import_module(f"perf.loadtest.{args.scenario}")
    runner.drive(scenario, args.plan, args.url, args.db, args.timeout, args.out)


def check(args):
    from perf.odoo_env import open_env

    env = open_env(args.conf, args.db)
    from perf.loadtest import checks

    plan = json.loads(Path(args.plan).read_text())
    results = json.loads(Path(args.results).read_text())
    offset_file = Path(args.log_offset_file)
    log = checks.scan_log(args.log, int(offset_file.read_text() or 0))
    try:
        if args.scenario == "mail":
            verdicts, summary = checks.mail(env, plan, results["outcomes"])
        else:
            verdicts, summary = checks.acceptances(
                env, plan, args.scenario, results["outcomes"]
            )
        verdicts += checks.ledger(env) + [checks.log_check(log)]
    finally:
        env.cr.rollback()
        env.cr.close()
    results.update(checks=verdicts, summary=summary, log=log)
    Path(args.results).write_text(json.dumps(results, indent=1))
    for name, ok, detail in verdicts:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    for line in log["errors"][:5]:
        print(f"       log: {line}")
    offset_file.write_text(str(log["size"]))
    return 0 if all(ok for _name, ok, _detail in verdicts) else 1


def ledger_hash(args):
    import psycopg2

    with psycopg2.connect(dbname=args.db) as conn, conn.cursor() as cr:
        cr.execute(LEDGER_DIGEST)
        print(*cr.fetchone())
    conn.close()


def report(args):
    from perf.loadtest.report import report as print_report

    return print_report(args.results_dir, args.plan)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("drive")
    for name in ("--plan", "--url", "--db", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    p.add_argument("--timeout", type=float, default=240)
    p = sub.add_parser("check")
    for name in ("--conf", "--db", "--plan", "--results", "--log", "--log-offset-file"):
        p.add_argument(name, required=True)
    p.add_argument("--scenario", required=True, choices=SCENARIOS)
    sub.add_parser("hash").add_argument("--db", required=True)
    p = sub.add_parser("report")
    p.add_argument("--results-dir", required=True)
    p.add_argument("--plan", required=True)
    args = parser.parse_args()
    commands = {"drive": drive, "check": check, "hash": ledger_hash, "report": report}
    return commands[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
