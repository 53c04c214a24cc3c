"""The project's command line: `python -m gateway <command>`.

up        provision what no variable points to, migrate (when behind), register the Stripe
          webhook with localstripe, serve the API and a worker (beat inside it), seed
migrate   migrate every service (or --service NAME)
seed      load the Fengqiu demo data (idempotent; runs a worker meanwhile, or --url of a
          running server)
serve     the all-in-one API only
env       print the environment `up` would use (provisioning what is missing)
status    what is running: `up` and the backing services it provisioned
stop      stop `up` (API, worker) and the backing services it provisioned
stripe-webhook  register this API's webhook with localstripe (`up` runs it)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from gateway.services import installed_services
from shared.settings import LOCAL_DIR

LOG_DIR = LOCAL_DIR / "log"
UP_PID = LOCAL_DIR / "run" / "up.pid"
ENV_KEYS = ("DATABASE_URL", "REDIS_URL", "MEILI_URL", "MEILI_MASTER_KEY", "STRIPE_API_BASE")


def provision(*, quiet: bool = False) -> None:
    from shared import devstack
    from shared.settings import reset_settings_cache

    if quiet:
        devstack.set_output(_log_writer("devstack"))
    for key, value in devstack.ensure_all().items():
        os.environ.setdefault(key, value)
    reset_settings_cache()


def register_stripe_webhook(host: str, port: int) -> str:
    """The local Stripe server posts its events to this API's webhook (card payments made
    against the dev stack complete). Real Stripe is configured in its dashboard."""
    from services.payments.intents.provider import ProviderUnavailable, register_local_webhook

    if "payments" not in installed_services():
        return "payments not installed"
    try:
        return register_local_webhook(f"http://{host}:{port}")
    except ProviderUnavailable as exc:
        return f"not registered ({exc})"


def migrate(services: list[str] | None = None) -> None:
    from shared.migrations import has_migrations, upgrade

    for name in services or installed_services():
        if has_migrations(name):
            print(f"migrate: {name}", file=sys.stderr)
            upgrade(name)


def build_snapshots() -> None:
    """Every service's schema snapshot (shared.schema_snapshot) from its migrations now."""
    from shared import devstack
    from shared.migrations import has_migrations
    from shared.schema_snapshot import write_snapshots

    url = os.environ.get("DATABASE_URL") or devstack.ensure_postgres()
    for path in write_snapshots(url, [n for n in installed_services() if has_migrations(n)]):
        print(f"wrote {path.relative_to(Path(__file__).resolve().parent.parent)}")


def seed(
    base_url: str | None = None,
    *,
    progress_json: bool = False,
    wait_ready: bool = False,
    wait_go: bool = False,
) -> None:
    import asyncio

    from gateway.seed import DemoContext, load_demo_data, print_logins

    if (wait_ready or wait_go) and base_url:
        # Started by `up` while the API still imports: import what the demo's identity part
        # runs in this process meanwhile, then wait for the API (or for `up`'s word that
        # it is ready and migrated: a line on stdin; none, `up` is gone).
        import services.identity.auth.service
        import services.identity.organisations.service  # noqa: F401
        from gateway.seed import import_parts

        import_parts()
        if wait_go:
            if not sys.stdin.readline():
                os._exit(1)
        else:
            _wait_ready(f"{base_url}/readyz", {}, 300)

    def progress(done: int, total: int, part: str) -> None:
        message = {"done": done, "total": total, "part": part, "t": time.monotonic()}
        print(json.dumps(message), flush=True)

    async def load() -> DemoContext:
        from shared.db import dispose_engines

        try:
            return await load_demo_data(base_url, progress if progress_json else None)
        finally:
            await dispose_engines()  # the identity part's connections, closed cleanly

    ctx = asyncio.run(load())
    if progress_json:
        print(json.dumps({"logins": ctx.logins}), flush=True)
        # `up`'s child: everything is committed and sent; skip the interpreter's teardown
        # (garbage-collecting every imported module: 2 s on a loaded machine).
        sys.stderr.flush()
        os._exit(0)
    print_logins(ctx)


def _log_writer(name: str) -> Callable[[str], None]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    path = LOG_DIR / f"{name}.log"

    def write(message: str) -> None:
        with open(path, "a") as out:
            out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")

    return write


def _spawn(name: str, argv: list[str]) -> subprocess.Popen[bytes]:
    """A child whose output goes to .local/log/<name>.log, in its own session so that a
    terminal's Ctrl-C reaches only us and we stop the children in order."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / f"{name}.log", "ab") as out:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _worker_argv() -> list[str]:
    """The one worker of every queue. Without mingle (at start a worker waits a second for
    its neighbours' replies: there are none) and gossip (nothing here listens to it)."""
    queues = ",".join(installed_services())
    argv = [sys.executable, "-m", "celery", "-A", "gateway.worker", "worker", "-Q", queues]
    return [*argv, "--without-mingle", "--without-gossip"]


def _worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen([*_worker_argv(), "--concurrency", "2", "-l", "INFO"])


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


# The all-in-one API's uvicorn workers: one. Measured (README, *Run modes*; bench/first_run.py):
# a second one on this 2-core machine costs ~220 MB and a second import of the app at every
# start, for a throughput gain the machine's load made anywhere from 0.85× to 2.4×. The
# all-in-one mode is judged on memory and start time; API_WORKERS=2 where it must serve more.
API_WORKERS = 1


def _api(host: str, port: int) -> subprocess.Popen[bytes]:
    python = sys.executable
    api = [python, "-m", "uvicorn", "gateway.app:app", "--host", host, "--port", str(port)]
    api += ["--no-access-log", "--timeout-graceful-shutdown", "10"]
    workers = int(os.environ.get("API_WORKERS", str(API_WORKERS)))
    if workers > 1:
        api += ["--workers", str(workers)]
    return _spawn("api", api)


def _worker_and_beat() -> subprocess.Popen[bytes]:
    """One process: the worker, solo (a county's events are few, and each prefork child
    costs ~150 MB), with beat in a thread of it (COUNTY_EMBEDDED_BEAT)."""
    os.environ["COUNTY_EMBEDDED_BEAT"] = str(LOCAL_DIR / "celerybeat-schedule")
    concurrency = os.environ.get("WORKER_CONCURRENCY", "1")
    pool = ["--pool", "solo"] if concurrency == "1" else ["--concurrency", concurrency]
    try:
        return _spawn("worker", [*_worker_argv(), *pool, "-l", "INFO"])
    finally:
        del os.environ["COUNTY_EMBEDDED_BEAT"]


def _wait_ready(url: str, procs: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited (see .local/log/{name}.log)")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} not ready within {timeout:.0f} s (see .local/log/api.log)")


def _stop_children(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _seeder(
    base_url: str, env: dict[str, str] | None = None, *, gated: bool = False
) -> subprocess.Popen[str]:
    """The demo loader's process, started early: it imports, then waits for the API to be
    ready — or, `gated`, for a line on its stdin (`_go`: sent once the schema is migrated,
    which /readyz does not tell)."""
    argv = [sys.executable, "-m", "gateway", "seed", "--url", base_url, "--progress-json"]
    argv.append("--wait-go" if gated else "--wait-ready")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / "seed.log", "ab") as errors:
        return subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if gated else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )


def _go(seeder: subprocess.Popen[str]) -> None:
    assert seeder.stdin is not None
    seeder.stdin.write("go\n")
    seeder.stdin.close()


def _seed_through(
    base_url: str, env: dict[str, str] | None = None, proc: subprocess.Popen[str] | None = None
) -> list[list[str]]:
    """Load the demo in a child process (it exits: its memory goes back), with a bar; each
    part's time goes to .local/log/seed-times.log."""
    from gateway.progress import bar

    logins: list[list[str]] = []
    times: list[str] = []
    proc = proc or _seeder(base_url, env)
    assert proc.stdout is not None
    last: tuple[str, float] | None = None
    for line in proc.stdout:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if "logins" in message:
            logins = message["logins"]
            continue
        if last is not None and "t" in message:
            times.append(f"{last[0]} {message['t'] - last[1]:.1f} s")
        if "t" in message:
            last = (message["part"], message["t"])
        bar(message["done"], message["total"], message["part"])
    if proc.wait() != 0:
        raise RuntimeError("the demo data did not load (see .local/log/seed.log)")
    _log_writer("seed-times")("demo parts: " + ", ".join(times))
    return logins


def _fingerprint(patterns: list[str]) -> str:
    """What a step's result depends on: the files it runs and the database it ran on."""
    import hashlib

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(os.environ.get("DATABASE_URL", "").encode())
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp(name: str) -> Path:
    return LOCAL_DIR / "run" / f"{name}.stamp"


DEMO = ["gateway/seed.py", "services/*/demo.py"]


def migration_heads(service: str) -> set[str]:
    """The head revisions of a service's migration files (read, not imported: cheap)."""
    import re

    root = Path(__file__).resolve().parent.parent / "services" / service / "migrations"
    revisions: set[str] = set()
    parents: set[str] = set()
    pattern = re.compile(r"^(revision|down_revision)\b[^=]*=\s*(.+)$", re.M)
    for path in (root / "versions").glob("*.py"):
        for key, value in pattern.findall(path.read_text()):
            found = set(re.findall(r"[\"']([0-9A-Za-z_]+)[\"']", value))
            (revisions if key == "revision" else parents).update(found)
    return revisions - parents


def pending_migrations() -> list[str]:
    """The services whose database is not at the head of their migration files: one query
    each, on one connection per database (a second start skips the migration process)."""
    import asyncio

    from shared.settings import REPO_ROOT, get_settings

    def has_migrations(name: str) -> bool:  # shared.migrations' (that module imports alembic)
        return any((REPO_ROOT / "services" / name / "migrations" / "versions").glob("*.py"))

    services = [name for name in installed_services() if has_migrations(name)]
    settings = get_settings()

    async def check() -> list[str]:
        import asyncpg

        pending: list[str] = []
        connections: dict[str, asyncpg.Connection] = {}
        try:
            for name in services:
                url = settings.database_url_for(name).replace("+asyncpg", "")
                if url not in connections:
                    connections[url] = await asyncpg.connect(url, timeout=10)
                try:
                    rows = await connections[url].fetch(
                        f'SELECT version_num FROM "{name}".alembic_version'
                    )
                except asyncpg.PostgresError:
                    rows = []
                if {r["version_num"] for r in rows} != migration_heads(name):
                    pending.append(name)
        finally:
            for connection in connections.values():
                await connection.close()
        return pending

    try:
        return asyncio.run(check())
    except Exception:  # no answer, no database yet: the migration process says what is wrong
        return services


def _webhook_process(host: str, port: int) -> subprocess.Popen[str]:
    """Register the Stripe webhook from a child, while the API starts (it needs only
    localstripe; in `up` itself the Stripe SDK would stay in memory for nothing)."""
    argv = [sys.executable, "-m", "gateway", "stripe-webhook", "--host", host]
    return subprocess.Popen([*argv, "--port", str(port)], stdout=subprocess.PIPE, text=True)


def _migrate_process(services: list[str]) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "gateway", "migrate"]
    for name in services:
        argv += ["--service", name]
    with open(LOG_DIR / "migrate.log", "ab") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)


def _migrate(pending: list[str]) -> str:
    """Bring the `pending` services to their heads: from their schema snapshots where our
    own PostgreSQL has none of their schema yet (a first start), through alembic otherwise
    (shared.schema_snapshot says why)."""
    from shared import devstack
    from shared.schema_snapshot import load_snapshots
    from shared.settings import get_settings

    embedded = devstack.STATUS.get("postgres", "").startswith(("started", "reused"))
    split = any(os.environ.get(f"{name.upper()}_DATABASE_URL") for name in pending)
    loaded = (
        [] if split or not embedded else load_snapshots(pending, get_settings().database_url_for)
    )
    rest = [name for name in pending if name not in loaded]
    if rest:
        migrating = _migrate_process(rest)
        if migrating.wait() != 0:
            raise RuntimeError("migrations failed (see .local/log/migrate.log)")
    parts = [f"{len(loaded)} from snapshots"] if loaded else []
    parts += [f"{len(rest)} by alembic"] if rest else []
    return "migrated " + ", ".join(parts)


BACKING = (
    ("postgres", "ensure_postgres", "DATABASE_URL"),
    ("redis", "ensure_redis", "REDIS_URL"),
    ("meilisearch", "ensure_meilisearch", "MEILI_URL"),
    ("localstripe", "ensure_localstripe", "STRIPE_API_BASE"),
)


class Backing:
    """The four backing services, started together; each one's ✓ line once it answers.
    The API needs only their URLs to start (it connects per request), known as soon as a
    port is chosen: it imports while they come up — PostgreSQL's initdb, Meilisearch's first
    start (seconds on a cold disk: its 130 MB binary is read and checked first)."""

    def __init__(self) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        from shared import devstack

        self._pool = ThreadPoolExecutor(len(BACKING))
        self._announced = {name: threading.Event() for name, _f, _k in BACKING}
        self._futures: dict[str, Future[tuple[object, float]]] = {}

        def announce(name: str) -> Callable[..., None]:
            def tell(url: str, key: str | None = None) -> None:
                self._set(name, url, key)
                self._announced[name].set()

            return tell

        def ensure(name: str, function: str) -> tuple[object, float]:
            began = time.monotonic()
            ensure = getattr(devstack, function)
            return ensure(announce(name)), time.monotonic() - began

        for name, function, _key in BACKING:
            self._futures[name] = self._pool.submit(ensure, name, function)

    @staticmethod
    def _set(name: str, url: str, key: str | None = None) -> None:
        variable = next(k for n, _f, k in BACKING if n == name)
        os.environ.setdefault(variable, url)
        if key is not None:
            os.environ.setdefault("MEILI_MASTER_KEY", key)

    def urls_known(self) -> None:
        """Every service's URL is in the environment (some may not answer yet)."""
        for name, _function, _key in BACKING:
            future = self._futures[name]
            while not self._announced[name].wait(0.02):
                if future.done():  # from its variable, or it failed before a port
                    self.wait(name)
                    break

    def wait(self, name: str) -> None:
        """Until `name` answers (once: its ✓ line, or ✗ and the error)."""
        from gateway.progress import failed, finished
        from shared import devstack

        future = self._futures.pop(name, None)
        if future is None:
            return
        try:
            value, seconds = future.result()
        except Exception as exc:
            failed(name, exc)
            raise
        if isinstance(value, tuple):
            self._set(name, *value)
            value = value[0]
        assert isinstance(value, str)
        self._set(name, value)
        finished(name, f"{devstack.STATUS.get(name, '')} {value.split('@')[-1]}", seconds)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _settle_search(
    procs: dict[str, subprocess.Popen[bytes]], restarts: list[threading.Thread], timeout: float = 60
) -> str:
    """After the demo loads: wait for the worker to carry its last events and for
    Meilisearch to index them, then restart our own Meilisearch, which frees the memory
    indexing took (~250 MB → ~40 MB), in a thread (added to `restarts`): the demo is
    indexed already, and a search during the restart's fraction of a second answers from
    the database, as whenever Meilisearch does not answer. Not done for a MEILI_URL server."""
    from shared import devstack
    from shared.settings import get_settings

    if devstack.STATUS.get("meilisearch", "").startswith("from"):
        return "external Meilisearch: left as is"
    import redis

    settings = get_settings()
    broker = redis.Redis.from_url(settings.redis_url)
    queues = installed_services()
    meili = os.environ["MEILI_URL"]
    headers = {"Authorization": f"Bearer {os.environ.get('MEILI_MASTER_KEY', '')}"}
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        if procs["worker"].poll() is not None:
            raise RuntimeError("the worker exited (see .local/log/worker.log)")
        busy = sum(int(broker.llen(q)) for q in queues)  # type: ignore[arg-type]
        request = urllib.request.Request(
            f"{meili}/tasks?statuses=enqueued,processing&limit=1", headers=headers
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            busy += int(json.loads(answer.read()).get("total", 0))
        quiet = quiet + 1 if busy == 0 else 0
        time.sleep(0.1)  # three quiet looks in a row: nothing was in flight between them
    broker.close()
    log = _log_writer("devstack")

    def restart() -> None:
        try:
            log(f"meilisearch: after indexing the demo: {devstack.restart_meilisearch()}")
        except Exception as exc:  # it keeps its memory, or `up` sees no search: logged
            log(f"meilisearch: restart after indexing failed: {exc}")

    restarts.append(threading.Thread(target=restart, name="meilisearch-restart"))
    restarts[-1].start()
    return "indexed; Meilisearch restarts to free the memory indexing took"


def _webhook_step(webhook: subprocess.Popen[str]) -> None:
    from gateway.progress import step

    with step("stripe webhook") as current:
        out, _ = webhook.communicate(timeout=60)
        current.detail = out.strip() or f"failed (exit {webhook.returncode})"


def up(host: str, port: int, *, with_demo: bool = True) -> int:
    """Provision, migrate, serve and seed, showing each step and its time; the servers'
    logs go to .local/log/. SIGINT and SIGTERM stop what this started (the backing
    services stay up for the next run: `./dev stop` stops them).

    The order keeps the wait short: the backing services start together; the API starts
    importing while migrations run (only when the database is behind the migration files);
    the worker (with beat in it) starts once the schema exists — after the API is ready
    when no demo has to load, since nothing the user sees waits on it; with a demo to load,
    the Stripe webhook's process starts once the API is ready (its import beside the API's
    would slow that down on two cores), else while the API imports."""
    from gateway.progress import say, step
    from shared import devstack
    from shared.settings import reset_settings_cache

    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)
        raise KeyboardInterrupt

    # Explicit handlers: a shell that runs us in the background ignores SIGINT for us.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    UP_PID.parent.mkdir(parents=True, exist_ok=True)
    UP_PID.write_text(f"{os.getpid()}\n")
    started = time.monotonic()
    say(f"county-market: starting (logs in {LOG_DIR}, `./dev logs` follows them)")
    devstack.set_output(_log_writer("devstack"))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    seeder: subprocess.Popen[str] | None = None
    restarts: list[threading.Thread] = []
    backing = Backing()
    try:
        backing.urls_known()
        reset_settings_cache()
        base_url = f"http://{host}:{port}"
        demo = _fingerprint(DEMO)
        loaded = _stamp("demo").exists() and _stamp("demo-logins").exists()
        seeding = with_demo and not (loaded and _stamp("demo").read_text() == demo)
        with step("serve") as current:
            procs["api"] = _api(host, port)
            if seeding:
                seeder = _seeder(base_url, gated=True)
            backing.wait("postgres")
            backing.wait("redis")
            pending = pending_migrations()
            migrated = _migrate(pending) if pending else "schema up to date"
            backing.wait("localstripe")
            # With a demo to load, the webhook's process starts once the API is ready: its
            # import beside the API's, the demo loader's and the worker's would slow them.
            webhook = None if seeding else _webhook_process(host, port)
            backing.wait("meilisearch")  # the worker indexes into it
            if seeding:
                procs["worker"] = _worker_and_beat()
            _wait_ready(f"{base_url}/readyz", procs, 120)
            if seeder is not None:
                _go(seeder)
            else:
                procs["worker"] = _worker_and_beat()
            webhook = webhook or _webhook_process(host, port)
            current.detail = f"API {base_url} ({migrated})"
        if not seeding:
            _webhook_step(webhook)
        logins: list[list[str]] = []
        if with_demo and not seeding:
            with step("demo data") as current:
                current.detail = "already loaded (`./dev seed` loads it again)"
                logins = json.loads(_stamp("demo-logins").read_text() or "[]")
        elif with_demo:
            with step("demo data") as current:
                logins = _seed_through(base_url, proc=seeder)
                current.detail = "Fengqiu county (封丘县)"
            with step("search") as current:
                current.detail = _settle_search(procs, restarts)
            _webhook_step(webhook)
            _stamp("demo-logins").write_text(json.dumps(logins, ensure_ascii=False))
            _stamp("demo").write_text(demo)
        say(f"\nReady in {time.monotonic() - started:.1f} s: {base_url}")
        say(f"  API docs   {base_url}/docs   (OpenAPI: {base_url}/openapi.json)")
        if (Path(__file__).resolve().parent.parent / "services" / "console").is_dir():
            say(f"  console    {base_url}/console/")
        if logins:
            from gateway.seed import DEMO_PASSWORD

            say(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for role, login, _ in logins:
                say(f"  {login}  {role}")
        say(
            "\nCtrl-C stops the API and the worker (beat runs inside it). PostgreSQL, Redis, "
            "Meilisearch and localstripe keep running for a quick next start: `./dev stop` "
            "stops them, `./dev status` lists them."
        )
        while all(p.poll() is None for p in procs.values()):
            time.sleep(0.5)
        crashed = [name for name, p in procs.items() if p.poll() is not None]
        say(f"{', '.join(crashed)} exited: stopping (see .local/log/)")
        return 1
    except KeyboardInterrupt:
        say("\nstopping the API and the worker …")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if seeder is not None and seeder.poll() is None:
            seeder.kill()
        _stop_children(procs)
        for thread in restarts:
            thread.join()
        backing.close()
        UP_PID.unlink(missing_ok=True)


def _up_pid() -> int | None:
    import psutil

    try:
        pid = int(UP_PID.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        if "gateway" in " ".join(psutil.Process(pid).cmdline()):
            return pid
    except psutil.Error:
        pass
    return None


def status() -> int:
    from shared import devstack

    pid = _up_pid()
    print(f"up           {'running, pid ' + str(pid) if pid else 'not running'}")
    for row in devstack.status():
        state = f"running, pid {row['pid']}, port {row['port']}" if row["alive"] else "stopped"
        print(f"{row['name']:<12} {state}   log {row['log']}")
    return 0


def stop() -> int:
    import psutil

    from shared import devstack

    pid = _up_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        try:
            psutil.Process(pid).wait(timeout=40)
        except psutil.Error:
            pass
        print(f"stopped up (pid {pid})")
    for name in devstack.stop_all():
        print(f"stopped {name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    u = sub.add_parser("up")
    u.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    u.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    u.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    u.add_argument(
        "--split",
        action="store_true",
        help="every service in its own processes and database, behind nginx (run mode 2)",
    )
    m = sub.add_parser("migrate")
    m.add_argument("--service", action="append", help="this service only (repeatable)")
    m.add_argument(
        "--snapshot",
        action="store_true",
        help="build every service's schema.sql (what `up` loads into an empty database)",
    )
    sd = sub.add_parser("seed")
    sd.add_argument("--url", help="a running server to load through (else in-process)")
    sd.add_argument("--progress-json", action="store_true")
    sd.add_argument("--wait-ready", action="store_true", help="wait for --url to be ready")
    sd.add_argument("--wait-go", action="store_true", help="wait for a line on stdin")
    s = sub.add_parser("serve")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    w = sub.add_parser("stripe-webhook", help="register this API's webhook with localstripe")
    w.add_argument("--host", default="127.0.0.1")
    w.add_argument("--port", type=int, default=8000)
    sub.add_parser("env")
    sub.add_parser("status")
    sub.add_parser("stop")
    args = parser.parse_args(argv)

    if args.command == "migrate" and args.snapshot:
        build_snapshots()
    elif args.command == "migrate":
        migrate(args.service)
    elif args.command == "seed":
        if args.url:
            seed(
                args.url,
                progress_json=args.progress_json,
                wait_ready=args.wait_ready,
                wait_go=args.wait_go,
            )
        else:
            seed_with_worker()
    elif args.command == "stripe-webhook":
        print(register_stripe_webhook(args.host, args.port))
    elif args.command == "env":
        provision()
        for key in ENV_KEYS:
            if key in os.environ:
                print(f"export {key}={os.environ[key]}")
    elif args.command == "serve":
        import uvicorn

        uvicorn.run("gateway.app:app", host=args.host, port=args.port)
    elif args.command == "up" and args.split:
        from gateway.split import run

        return run(args.port, with_demo=not args.no_demo)
    elif args.command == "up":
        return up(args.host, args.port, with_demo=not args.no_demo)
    elif args.command == "status":
        return status()
    elif args.command == "stop":
        return stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
