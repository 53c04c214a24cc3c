"""The project's command line: `python -m gateway <command>`.

up        provision what no variable points to, migrate, register the Stripe webhook with
          localstripe, serve API + worker + beat, seed
migrate   migrate every service (or --service NAME)
seed      load the Fengqiu demo data (idempotent; runs a worker meanwhile)
serve     the all-in-one API only
env       print the environment `up` would use (provisioning what is missing)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from gateway.services import installed_services


def provision() -> None:
    from shared import devstack
    from shared.settings import reset_settings_cache

    for key, value in devstack.ensure_all().items():
        os.environ.setdefault(key, value)
    reset_settings_cache()


def register_stripe_webhook(host: str, port: int) -> None:
    """The local Stripe server posts its events to this API's webhook (card payments made
    against the dev stack complete). Real Stripe is configured in its dashboard."""
    from services.payments.intents.provider import ProviderUnavailable, register_local_webhook

    if "payments" not in installed_services():
        return
    try:
        url = register_local_webhook(f"http://{host}:{port}")
    except ProviderUnavailable as exc:
        print(f"stripe webhook: not registered ({exc})", file=sys.stderr)
        return
    print(f"stripe webhook: localstripe posts to {url}", file=sys.stderr)


def migrate(service: str | None = None) -> None:
    from shared.migrations import has_migrations, upgrade

    for name in [service] if service else installed_services():
        if has_migrations(name):
            print(f"migrate: {name}", file=sys.stderr)
            upgrade(name)


def seed() -> None:
    import asyncio

    from gateway.seed import load_demo_data

    asyncio.run(load_demo_data())


def _worker() -> subprocess.Popen[bytes]:
    queues = ",".join(installed_services())
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gateway.worker",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            "2",
            "-l",
            "INFO",
        ]
    )


def seed_with_worker() -> None:
    """Seeding waits for events between services (a catalog product reaching the
    repository), so a worker carries them while the demo loads."""
    worker = _worker()
    try:
        seed()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve_all(host: str, port: int, *, then: Callable[[], None] | None = None) -> int:
    """API, worker and beat as child processes; Ctrl-C stops them all. `then` runs once
    they are up (the demo data, whose events the worker carries)."""
    python = sys.executable
    procs = [
        subprocess.Popen(
            [python, "-m", "uvicorn", "gateway.app:app", "--host", host, "--port", str(port)]
        ),
        _worker(),
        subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "gateway.worker",
                "beat",
                "-l",
                "INFO",
                "-s",
                os.path.join(".local", "celerybeat-schedule"),
            ]
        ),
    ]
    print(
        f"\nServing on http://{host}:{port}  (API docs: http://{host}:{port}/docs)\n",
        file=sys.stderr,
    )

    def stop(*_: object) -> None:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        if then is not None:
            then()
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up")
    up.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    up.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    m = sub.add_parser("migrate")
    m.add_argument("--service")
    sub.add_parser("seed")
    s = sub.add_parser("serve")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    sub.add_parser("env")
    args = parser.parse_args(argv)

    if args.command == "migrate":
        migrate(args.service)
    elif args.command == "seed":
        seed_with_worker()
    elif args.command == "env":
        provision()
        for key in (
            "DATABASE_URL",
            "REDIS_URL",
            "MEILI_URL",
            "MEILI_MASTER_KEY",
            "STRIPE_API_BASE",
        ):
            if key in os.environ:
                print(f"export {key}={os.environ[key]}")
    elif args.command == "serve":
        import uvicorn

        uvicorn.run("gateway.app:app", host=args.host, port=args.port)
    elif args.command == "up":
        provision()
        migrate()
        register_stripe_webhook(args.host, args.port)
        return serve_all(args.host, args.port, then=seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
