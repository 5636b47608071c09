"""`make bench` (python -m tests.benchmarks): the performance table of docs/benchmarks.md.

Each row is measured against a floor timed in the same run (PostgreSQL COPY, smtplib,
`{ __typename }`), medians of repeated runs, in a scratch database `<DATABASE_URL's name>_bench`
that is created and dropped here. Sizes come from the command line; results are printed and
written as JSON. Numbers, not assertions: nothing here passes or fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.harness import (
    ROOT,
    bench_broker_url,
    scratch_database_create,
    scratch_database_drop,
    scratch_database_url,
)

ROWS = ("fanout", "fanout-broker", "events", "delivery", "delivery-worker", "feed")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="+", choices=ROWS, default=list(ROWS), help="rows to measure (default: all)"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per figure; the median is quoted (default 3)"
    )
    parser.add_argument("--members", type=int, default=10_000, help="fan-out: members (default 10000)")
    parser.add_argument(
        "--election-events", type=int, default=30, help="fan-out: election events (default 30)"
    )
    parser.add_argument("--forum-members", type=int, default=500, help="events: members (default 500)")
    parser.add_argument("--threads", type=int, default=100, help="events: forum threads (default 100)")
    parser.add_argument("--posts", type=int, default=2000, help="events: forum posts (default 2000)")
    parser.add_argument("--emails", type=int, default=2000, help="delivery: emails (default 2000)")
    parser.add_argument(
        "--feed-rows", type=int, default=100_000, help="feed: one member's notifications (default 100000)"
    )
    parser.add_argument(
        "--requests", type=int, default=300, help="feed: requests per query and pass (default 300)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "var" / "bench" / "results.json",
        help="where to write the results",
    )
    return parser.parse_args(argv)


def _print_table(rows) -> None:
    print(f"\n{'measure':<92} {'value':>11} {'floor':>11} {'ratio':>7}  target")
    for row in rows:
        floor = f"{row.floor:.3g} {row.unit}" if row.floor else "—"
        ratio = f"{row.ratio:.2f}×" if row.ratio else "—"
        detail = row.detail or {}
        medians = ""
        if "median_ratio" in detail:  # p99 rows: the medians beside
            medians = (
                f"  (medians {detail['median_ms']:.3g} / {detail['floor_median_ms']:.3g} ms:"
                f" {detail['median_ratio']:.2f}×)"
            )
        print(
            f"{row.measure:<92} {row.value:>7.4g} {row.unit:<3} {floor:>11} {ratio:>7}  {row.target}{medians}"
        )


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        raise SystemExit("make bench measures PostgreSQL: set DATABASE_URL=postgres://…")
    broker_url = bench_broker_url()  # read before the broker is taken out of the environment
    url = scratch_database_url(base_url)
    scratch_database_create(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # Imported once Django is set up: they use the models.
    from tests.benchmarks.delivery_rows import delivery_row
    from tests.benchmarks.delivery_worker_row import delivery_worker_row
    from tests.benchmarks.feed_rows import feed_rows
    from tests.benchmarks.ingest_rows import events_row, fanout_broker_row, fanout_rows

    rows = []
    load_before = os.getloadavg()
    try:
        if "fanout" in args.only:
            rows += fanout_rows(
                database_url=url, members=args.members, events=args.election_events, repeats=args.repeats
            )
            _print_table(rows[-2:])
        if "fanout-broker" in args.only and broker_url is None:
            print(
                "\nfanout-broker: skipped, it needs Redis (CELERY_BROKER_URL or BENCH_BROKER_URL=redis://…)"
            )
        elif "fanout-broker" in args.only:
            rows.append(
                fanout_broker_row(
                    database_url=url,
                    members=args.members,
                    events=args.election_events,
                    repeats=args.repeats,
                    broker_url=broker_url,
                )
            )
            _print_table(rows[-1:])
        if "events" in args.only:
            rows.append(
                events_row(
                    members=args.forum_members, threads=args.threads, posts=args.posts, repeats=args.repeats
                )
            )
            _print_table(rows[-1:])
        if "delivery" in args.only:
            rows.append(delivery_row(emails=args.emails, repeats=args.repeats))
            _print_table(rows[-1:])
        if "delivery-worker" in args.only and broker_url is None:
            print(
                "\ndelivery-worker: skipped, it needs Redis (CELERY_BROKER_URL or BENCH_BROKER_URL=redis://…)"
            )
        elif "delivery-worker" in args.only:
            rows.append(delivery_worker_row(emails=args.emails, repeats=args.repeats, broker_url=broker_url))
            _print_table(rows[-1:])
        if "feed" in args.only:
            rows += feed_rows(
                database_url=url, rows=args.feed_rows, requests_each=args.requests, repeats=args.repeats
            )
    finally:
        from django.db import connections

        connections.close_all()
        scratch_database_drop(url)
    _print_table(rows)
    load = {"start": load_before[0], "end": os.getloadavg()[0]}
    print(f"\nload average (1 min): {load['start']:.1f} at the start, {load['end']:.1f} at the end")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_1min": load,
                },
                "arguments": {key: str(value) for key, value in vars(args).items()},
                "rows": [row.as_dict() for row in rows],
            },
            indent=2,
        )
    )
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
