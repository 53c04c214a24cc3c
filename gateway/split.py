"""Run mode 2 on one machine: every service in its own processes with its own database.

Each service gets its own database on the PostgreSQL server (`<SERVICE>_DATABASE_URL`, and
nothing else: a process is never told where another service's tables are), its own uvicorn
process(es) on its own port, and a Celery worker for its queue alone; one beat; nginx
(Debian's package) routes `/v1/<service>/` to the service's replicas. A supervisor thread
polls every replica's `/readyz` and takes a replica that is not ready out of nginx's
rotation (the upstream is rewritten with `down` and nginx reloaded), and back when it is.

    python -m gateway up --split        (./dev up --split)

The list of services, queues and settings is the one docker-compose.yml and infra/k8s are
generated from or tested against: `gateway.services.SERVICES` (tests/test_infra.py).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from gateway.services import installed_services
from shared.settings import REPO_ROOT

# Replicas of each service's API in the split mode (the one the kill-and-recover test uses
# runs twice, so that one replica down leaves the other serving).
DEFAULT_REPLICAS = {"payments": 2}
READY_POLL_SECONDS = 0.5


def has_database(service: str) -> bool:
    return (REPO_ROOT / "services" / service / "migrations").is_dir()


def has_worker(service: str) -> bool:
    return (REPO_ROOT / "services" / service / "worker.py").exists()


def has_console() -> bool:
    return (REPO_ROOT / "services" / "console" / "app.py").exists()


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_database_urls(server_url: str, prefix: str) -> dict[str, str]:
    """Create `<prefix>_<service>` on the server for every service with a schema."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    admin = url.set(drivername="postgresql", database="postgres")
    names = {s: f"{prefix}_{s}" for s in installed_services() if has_database(s)}

    async def create() -> None:
        conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            existing = {r[0] for r in await conn.fetch("SELECT datname FROM pg_database")}
            for name in names.values():
                if name not in existing:
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return {
        f"{s.upper()}_DATABASE_URL": url.set(database=n).render_as_string(hide_password=False)
        for s, n in names.items()
    }


def drop_service_databases(server_url: str, prefix: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url).set(drivername="postgresql", database="postgres")

    async def drop() -> None:
        conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            for s in installed_services():
                await conn.execute(f'DROP DATABASE IF EXISTS "{prefix}_{s}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None
    ready: bool = False
    ready_path: str = "/readyz"

    def start(self) -> None:
        with open(self.log, "ab") as out:
            out.write(f"\n=== start {time.strftime('%H:%M:%S')}\n".encode())
            out.flush()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=5)


@dataclass
class SplitDeployment:
    """Every service apart, nginx in front; `base_url` is nginx."""

    env: dict[str, str]
    run_dir: Path
    replicas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REPLICAS))
    port: int = 0
    processes: dict[str, Process] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _watcher: threading.Thread | None = None
    _upstreams_written: str = ""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ processes

    def _service_env(self, service: str) -> dict[str, str]:
        """The common environment with only this service's database in it."""
        env = {k: v for k, v in self.env.items() if not k.endswith("_DATABASE_URL")}
        own = self.env.get(f"{service.upper()}_DATABASE_URL")
        if own:
            env["DATABASE_URL"] = own
            env[f"{service.upper()}_DATABASE_URL"] = own
        return env

    def plan(self) -> None:
        python = sys.executable
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.env.setdefault("PUBLIC_BASE_URL", self.base_url)
        self.env["JWKS_URL"] = f"{self.base_url}/v1/identity/.well-known/jwks.json"
        for service in installed_services():
            env = self._service_env(service)
            for replica in range(1, self.replicas.get(service, 1) + 1):
                port = free_port()
                argv = [python, "-m", "uvicorn", f"services.{service}.app:app"]
                argv += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
                name = f"{service}-api-{replica}"
                self.processes[name] = Process(name, argv, env, self.run_dir / f"{name}.log", port)
            if has_worker(service):
                argv = [python, "-m", "celery", "-A", f"services.{service}.worker", "worker"]
                argv += ["-Q", service, "-n", f"{service}@%h", "--concurrency", "1"]
                argv += ["--without-gossip", "--without-mingle", "-l", "INFO"]
                name = f"{service}-worker"
                self.processes[name] = Process(name, argv, env, self.run_dir / f"{name}.log")
        if has_console():
            # The web console has no database: it calls the API through nginx like an app.
            port = free_port()
            argv = [python, "-m", "uvicorn", "services.console.app:app", "--host", "127.0.0.1"]
            argv += ["--port", str(port), "--root-path", "/console", "--no-access-log"]
            env = {k: v for k, v in self.env.items() if not k.endswith("DATABASE_URL")}
            env["CONSOLE_API_BASE_URL"] = self.base_url
            self.processes["console-web-1"] = Process(
                "console-web-1",
                argv,
                env,
                self.run_dir / "console-web-1.log",
                port,
                ready_path="/healthz",
            )
        beat = [python, "-m", "celery", "-A", "gateway.worker", "beat", "-l", "INFO"]
        beat += ["-s", str(self.run_dir / "celerybeat-schedule")]
        common = {k: v for k, v in self.env.items() if not k.endswith("_DATABASE_URL")}
        self.processes["beat"] = Process("beat", beat, common, self.run_dir / "beat.log")

    def migrate(self) -> None:
        for service in installed_services():
            if not has_database(service):
                continue
            with open(self.run_dir / "migrate.log", "ab") as out:
                subprocess.run(
                    [sys.executable, "-m", "gateway", "migrate", "--service", service],
                    cwd=REPO_ROOT,
                    env=self._service_env(service),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=True,
                )

    def start(self, *, timeout: float = 180) -> None:
        if not self.processes:
            self.plan()
        for process in self.processes.values():
            process.start()
        self._write_nginx(initial=True)
        self._start_nginx()
        self.wait_ready(timeout=timeout)
        self._watcher = threading.Thread(target=self._watch, name="split-readyz", daemon=True)
        self._watcher.start()

    def api(self, service: str) -> list[Process]:
        return [p for n, p in self.processes.items() if n.startswith(f"{service}-api-")]

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one process abruptly (as a crash would)."""
        process = self.processes[name]
        if process.popen is not None and process.popen.poll() is None:
            process.popen.send_signal(sig)
            process.popen.wait(timeout=20)

    def restart(self, name: str, *, timeout: float = 120) -> None:
        process = self.processes[name]
        process.stop()
        process.start()
        if process.port is not None:
            deadline = time.monotonic() + timeout
            while not self._ready(process):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} not ready again within {timeout:.0f} s")
                time.sleep(0.2)
        else:
            self._wait_worker(process, timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        nginx = self.processes.get("nginx")
        ordered = [p for n, p in self.processes.items() if n != "nginx"]
        for process in ordered:
            if process.popen is not None and process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in ordered:
            process.stop()
        if nginx is not None:
            nginx.stop(signal.SIGQUIT)

    # ------------------------------------------------------------------ readiness

    def _ready(self, process: Process) -> bool:
        if not process.alive() or process.port is None:
            return False
        try:
            url = f"http://127.0.0.1:{process.port}{process.ready_path}"
            with urllib.request.urlopen(url, timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def _wait_worker(self, process: Process, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while "ready." not in process.log.read_text(errors="replace").split("=== start")[-1]:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited:\n{process.log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{process.name} not ready within {timeout:.0f} s")
            time.sleep(0.3)

    def wait_ready(self, *, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            if process.name == "nginx":
                continue
            if process.port is None:
                if process.name != "beat":
                    self._wait_worker(process, max(1.0, deadline - time.monotonic()))
                continue
            while not self._ready(process):
                if not process.alive():
                    raise RuntimeError(
                        f"{process.name} exited:\n{process.log.read_text(errors='replace')[-3000:]}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{process.name} not ready within {timeout:.0f} s")
                time.sleep(0.2)
            process.ready = True
        self._write_nginx()
        self._reload_nginx()

    def _watch(self) -> None:
        while not self._stop.wait(READY_POLL_SECONDS):
            apis = [p for p in self.processes.values() if p.port is not None]
            states = {p.name: self._ready(p) for p in apis}
            if all(states[p.name] == p.ready for p in apis):
                continue
            # nginx first, then what we report: `in_rotation` never runs ahead of nginx
            if self._write_nginx(states=states):
                self._reload_nginx()
            for p in apis:
                p.ready = states[p.name]

    def in_rotation(self, service: str) -> list[str]:
        return [p.name for p in self.api(service) if p.ready]

    # ------------------------------------------------------------------ nginx

    def nginx_config(self, *, initial: bool = False, states: dict[str, bool] | None = None) -> str:
        """The gateway's routes: the same `/v1/<service>/` table as infra/nginx/nginx.conf,
        with each replica `down` while its /readyz fails."""
        upstreams: list[str] = []
        locations: list[str] = []
        for service in installed_services():
            replicas = self.api(service)
            if not replicas:
                continue
            servers = []
            for p in replicas:
                ready = p.ready if states is None else states.get(p.name, p.ready)
                down = "" if (initial or ready) else " down"
                servers.append(
                    f"        server 127.0.0.1:{p.port} max_fails=1 fail_timeout=2s{down};"
                )
            if all(" down;" in s for s in servers):
                # nginx needs one server it may try; its failure is the 502 problem below.
                servers[0] = servers[0].replace(" down;", ";")
            upstreams.append(
                f"    upstream {service} {{\n"
                + "\n".join(servers)
                + "\n        keepalive 16;\n    }"
            )
            # `= /v1/<service>` too: without it nginx answers a 301 to the slash form.
            locations.append(
                f"        location /v1/{service}/ {{ proxy_pass http://{service}; }}\n"
                f"        location = /v1/{service} {{ proxy_pass http://{service}; }}"
            )
        console = [p for n, p in self.processes.items() if n.startswith("console-web-")]
        if console:
            servers = [
                f"        server 127.0.0.1:{p.port} max_fails=1 fail_timeout=2s;" for p in console
            ]
            upstreams.append("    upstream console {\n" + "\n".join(servers) + "\n    }")
            # the console serves at its root: nginx strips the /console prefix it is mounted at
            locations.append(
                "        location /console/ { proxy_pass http://console/; }\n"
                "        location = /console { return 301 /console/; }"
            )
        first = installed_services()[0]
        prefix = self.run_dir / "nginx"
        return f"""# Generated by gateway/split.py for the split mode; routes as infra/nginx/nginx.conf.
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 10m;
    map $http_x_request_id $req_id {{
        default $http_x_request_id;
        ""      $request_id;
    }}
{chr(10).join(upstreams)}
    server {{
        listen 127.0.0.1:{self.port};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Request-ID $req_id;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 2s;
        proxy_read_timeout 120s;
        # A replica that refuses or breaks the connection: try the next one. Only for
        # requests that cannot have been half-done (nginx never retries a POST on timeout).
        proxy_next_upstream error http_502 http_503;
        proxy_next_upstream_tries 3;
{chr(10).join(locations)}
        location = /healthz {{ proxy_pass http://{first}; }}
        location = /readyz {{ proxy_pass http://{first}; }}
        location / {{
            default_type application/problem+json;
            return 404 '{{"type":"https://county-market.dev/problems/not-found","title":"Not found","status":404}}';
        }}
        error_page 502 503 504 = @unavailable;
        location @unavailable {{
            default_type application/problem+json;
            add_header Retry-After 1 always;
            return 503 '{{"type":"https://county-market.dev/problems/service-unavailable","title":"Service unavailable","status":503}}';
        }}
    }}
}}
"""

    def _write_nginx(self, *, initial: bool = False, states: dict[str, bool] | None = None) -> bool:
        with self._lock:
            config = self.nginx_config(initial=initial, states=states)
            if config == self._upstreams_written:
                return False
            prefix = self.run_dir / "nginx"
            prefix.mkdir(parents=True, exist_ok=True)
            (prefix / "nginx.conf").write_text(config)
            self._upstreams_written = config
            return True

    def _start_nginx(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (./dev installs Debian's nginx-light)")
        prefix = self.run_dir / "nginx"
        conf = prefix / "nginx.conf"
        argv = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        process = Process(
            "nginx", [*argv, "-g", "daemon off;"], dict(os.environ), prefix / "out.log"
        )
        self.processes["nginx"] = process
        process.start()
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if not process.alive() or time.monotonic() > deadline:
                    raise RuntimeError(
                        "nginx did not start:\n" + (prefix / "error.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.1)

    def _reload_nginx(self) -> None:
        nginx = self.processes.get("nginx")
        if nginx is not None and nginx.popen is not None and nginx.alive():
            nginx.popen.send_signal(signal.SIGHUP)
            # Let the new worker take over before callers rely on the new rotation.
            time.sleep(1.0)


def run(host_port: int | None = None, *, with_demo: bool = True) -> int:
    """`./dev up --split`: provision, databases per service, migrate, serve, demo."""
    from gateway.progress import say, step
    from shared import devstack

    run_dir = REPO_ROOT / ".local" / "split"
    run_dir.mkdir(parents=True, exist_ok=True)
    devstack.set_output(lambda message: None)
    with step("provision") as current:
        env = dict(os.environ)
        env.update(devstack.ensure_all())
        current.detail = "postgres, redis, meilisearch, localstripe"
    with step("databases") as current:
        env.update(service_database_urls(env["DATABASE_URL"], "county"))
        current.detail = f"{sum(1 for k in env if k.endswith('_DATABASE_URL'))} (one per service)"
    deployment = SplitDeployment(env=env, run_dir=run_dir, port=host_port or 8000)
    deployment.plan()
    with step("migrate") as current:
        deployment.migrate()
        current.detail = "each service in its own database"
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        with step("serve") as current:
            deployment.start()
            apis = sum(1 for n in deployment.processes if "-api-" in n)
            workers = sum(1 for n in deployment.processes if n.endswith("-worker"))
            current.detail = f"{apis} API processes, {workers} workers, beat, nginx"
        if with_demo:
            from gateway.__main__ import _seed_through

            with step("demo data") as current:
                _seed_through(deployment.base_url, deployment.env)
                current.detail = "Fengqiu county (封丘县), through nginx"
        say(f"\nSplit deployment ready: {deployment.base_url}  (logs in {run_dir})")
        say("Ctrl-C stops every process it started.")
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        say("\nstopping the split deployment …")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        deployment.stop()
