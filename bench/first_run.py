"""The first run: `./dev up` from installed to demo loaded, cold (nothing provisioned yet) and
warm (the backing services still running, the demo loaded), and the memory of the whole
all-in-one stack once the demo has loaded.

    .venv/bin/python bench/first_run.py [--no-workers]

With the demo loaded after the cold start, it also runs the all-in-one API with 1 and with 2
uvicorn workers in turns under wrk (/healthz and the product list of 20, 16 connections) and
notes each one's RSS: the figures behind the worker count `up` uses (README).

Both runs use a fresh local state (`COUNTY_LOCAL_DIR`, a new folder under .local/bench/) and
their own preferred ports (COUNTY_*_PORT) so that the developer's own stack — and one shared
by others on this machine — is untouched (the bench stops only the servers it started, by
the pid files of its own folder); the Meilisearch binary already installed under .local/npm
is reused ("installed"), everything else is made anew. Each step's time is kept, the demo's
parts too, with the load average; the reference beside warm is a bare `import gateway.app`
in the same run (a warm start cannot be faster than importing the app once); cold is also
given as a multiple of a bare import (the mean of one before it and one after warm), a figure
the machine's load moves less than the seconds. RSS is summed over every
process of the stack (API, worker and its children, beat, `up` itself, PostgreSQL, Redis,
Meilisearch, localstripe); shared pages count once per process, so the sum is an upper bound
(the PSS total beside it shares them out: forked Celery children share most of their pages).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BACKING = ("DATABASE_URL", "REDIS_URL", "MEILI_URL", "MEILI_MASTER_KEY", "STRIPE_API_BASE")
GOALS = {"cold_s": 12.0, "warm_s": 6.0, "rss_mb": 1200.0}
PORTS = {"POSTGRES": 5470, "REDIS": 6410, "MEILISEARCH": 7721, "LOCALSTRIPE": 8440}
STEP = re.compile(r"✓ (\S+(?: webhook| data)?)\s.*?([\d.]+) s")


def load() -> float:
    return round(os.getloadavg()[0], 1)


def bench_env(local: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in BACKING}
    env["COUNTY_LOCAL_DIR"] = str(local)
    for name, port in PORTS.items():
        env[f"COUNTY_{name}_PORT"] = str(port)
    return env


def import_seconds() -> float:
    """A bare import of the all-in-one app: the floor of a warm start."""
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", "import gateway.app"], cwd=REPO, check=True)
    return round(time.monotonic() - began, 2)


def start_up(
    local: Path, port: int, steps: dict[str, float]
) -> tuple[subprocess.Popen[str], float, float]:
    env = bench_env(local)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "up", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if found := STEP.search(line):
            steps[found.group(1)] = float(found.group(2))
        match = re.search(r"Ready in ([\d.]+) s", line)
        if match:
            return proc, float(match.group(1)), time.monotonic() - started
        if "✗" in line:
            raise RuntimeError(f"./dev up failed: {line.strip()} (see {local}/log)")
    raise RuntimeError(f"./dev up exited {proc.wait()} (see {local}/log)")


def meilisearch_restarted(local: Path, timeout: float = 60) -> None:
    """`up` restarts its Meilisearch (freeing what indexing took) in the background as it
    says "Ready": the memory is measured once that is done (its line in devstack.log)."""
    log = local / "log" / "devstack.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and "meilisearch: after indexing the demo" in log.read_text():
            return
        time.sleep(0.1)


def stack_rss_mb(up: subprocess.Popen[str], local: Path) -> tuple[float, dict[str, float]]:
    processes = {psutil.Process(up.pid)}
    processes.update(psutil.Process(up.pid).children(recursive=True))
    for pid_file in (local / "run").glob("*.pid"):
        try:
            server = psutil.Process(int(pid_file.read_text().strip()))
        except (ValueError, psutil.Error):
            continue
        processes.add(server)
        processes.update(server.children(recursive=True))
    parts: dict[str, float] = {}
    pss_total = 0.0
    for p in processes:
        try:
            cmd = " ".join(p.cmdline())
            rss = p.memory_info().rss / 2**20
            pss_total += getattr(p.memory_full_info(), "pss", 0) / 2**20
        except psutil.Error:
            continue
        key = next(
            (
                k
                for k in ("uvicorn", "beat", "worker", "meilisearch", "redis", "localstripe")
                if k in cmd
            ),
            "postgres" if "postgres" in cmd else "up" if "gateway up" in cmd else "other",
        )
        parts[key] = parts.get(key, 0.0) + rss
    parts["pss_total"] = pss_total
    return sum(v for k, v in parts.items() if k != "pss_total"), {
        k: round(v) for k, v in sorted(parts.items())
    }


def stack_env(local: Path) -> dict[str, str]:
    """bench_env and the URLs of the backing services the bench's `up` started."""
    env = bench_env(local)
    out = subprocess.run(
        [sys.executable, "-m", "gateway", "env"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return env


def wrk(url: str, seconds: int) -> float:
    argv = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", "Accept-Encoding: identity", url]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def tree_rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20


def api_workers(local: Path, list_path: str, seconds: int = 8, rounds: int = 2) -> dict:
    """The all-in-one API (as `up` runs it) with 1 and then 2 uvicorn workers, in turns,
    under wrk (16 connections): /healthz and the demo's product list of 20; RSS of each."""
    from gateway.split import free_port

    if shutil.which("wrk") is None:
        return {"skipped": "no wrk (apt install wrk)"}
    env = stack_env(local)
    figures: dict[int, dict[str, list[float]]] = {1: {}, 2: {}}
    for _ in range(rounds):
        for workers in (1, 2):
            port = free_port()
            argv = [sys.executable, "-m", "uvicorn", "gateway.app:app", "--port", str(port)]
            argv += ["--no-access-log", "--workers", str(workers)]
            server = subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            base = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:
                    try:
                        with urllib.request.urlopen(base + "/readyz", timeout=2):
                            break
                    except OSError:
                        time.sleep(0.3)
                wrk(base + list_path, 2)  # warm both workers up
                row = figures[workers]
                row.setdefault("healthz_rps", []).append(wrk(base + "/healthz", seconds))
                row.setdefault("list_rps", []).append(wrk(base + list_path, seconds))
                row.setdefault("rss_mb", []).append(tree_rss_mb(server.pid))
                row.setdefault("load", []).append(load())
            finally:
                server.terminate()
                server.wait(timeout=30)
    best = {
        w: {k: round(max(v) if k.endswith("rps") else min(v), 1) for k, v in row.items()}
        for w, row in figures.items()
    }
    return {
        "runs": {str(w): row for w, row in figures.items()},
        "best": {str(w): row for w, row in best.items()},
        "list_2_over_1": round(best[2]["list_rps"] / best[1]["list_rps"], 2),
        "healthz_2_over_1": round(best[2]["healthz_rps"] / best[1]["healthz_rps"], 2),
        "rss_2_minus_1_mb": round(best[2]["rss_mb"] - best[1]["rss_mb"]),
    }


def demo_list_path(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/identity/regions") as answer:
        region = next(r for r in json.loads(answer.read()) if r["code"] == "fengqiu")
    return f"/v1/catalog/products?region_id={region['id']}&limit=20"


def stop_up(up: subprocess.Popen[str]) -> None:
    up.send_signal(signal.SIGTERM)
    up.wait(timeout=60)


def main() -> None:
    from gateway.split import free_port

    local = REPO / ".local" / "bench" / f"fr{os.getpid() % 10000}"
    shutil.rmtree(local, ignore_errors=True)
    local.mkdir(parents=True)
    installed = REPO / ".local" / "npm"
    if installed.is_dir():
        (local / "npm").symlink_to(installed)
    port = free_port()
    results: dict[str, object] = {}
    try:
        load_before = load()
        import_before = import_seconds()
        cold_steps: dict[str, float] = {}
        up, cold, cold_wall = start_up(local, port, cold_steps)
        meilisearch_restarted(local)
        time.sleep(3)  # let the worker finish the demo's last events
        rss, parts = stack_rss_mb(up, local)
        load_cold = load()
        workers = {} if "--no-workers" in sys.argv else api_workers(local, demo_list_path(port))
        stop_up(up)
        warm_steps: dict[str, float] = {}
        up, warm, warm_wall = start_up(local, port, warm_steps)
        load_warm = load()
        stop_up(up)
        bare_import = import_seconds()
        # the machine's speed at the time, as a bare import measures it before and after
        speed = (import_before + bare_import) / 2
        demo_parts = ""
        times = local / "log" / "seed-times.log"
        if times.exists():
            demo_parts = times.read_text().strip().splitlines()[-1].split("demo parts: ")[-1]
        results = {
            "cold_s": cold,
            "cold_wall_s": round(cold_wall, 1),
            "cold_steps_s": cold_steps,
            "demo_parts": demo_parts,
            "warm_s": warm,
            "warm_wall_s": round(warm_wall, 1),
            "warm_steps_s": warm_steps,
            "bare_import_gateway_app_s": bare_import,
            "bare_import_before_cold_s": import_before,
            "warm_over_bare_import": round(warm / bare_import, 2),
            "cold_over_bare_import": round(cold / speed, 2),
            "rss_mb": round(rss),
            "rss_parts_mb": parts,
            "api_workers": workers,
            "load_average": {
                "before": load_before,
                "after_cold": load_cold,
                "after_warm": load_warm,
                "cpus": os.cpu_count(),
            },
        }
    finally:
        env = bench_env(local)
        subprocess.run(
            [sys.executable, "-m", "gateway", "stop"], cwd=REPO, env=env, capture_output=True
        )
        shutil.rmtree(local, ignore_errors=True)
    results["goals"] = [
        {
            "goal": "./dev up cold, installed, to demo loaded",
            "target": f"≤ {GOALS['cold_s']:.0f} s",
            "figure": f"{results['cold_s']} s ({results['cold_over_bare_import']}× a bare "
            "import of the app, mean of one before and one after)",
            "met": float(results["cold_s"]) <= GOALS["cold_s"],  # type: ignore[arg-type]
        },
        {
            "goal": "./dev up warm",
            "target": f"≤ {GOALS['warm_s']:.0f} s",
            "figure": f"{results['warm_s']} s ({results['warm_over_bare_import']}× a bare "
            f"import of the app, {results['bare_import_gateway_app_s']} s)",
            "met": float(results["warm_s"]) <= GOALS["warm_s"],  # type: ignore[arg-type]
        },
        {
            "goal": "all-in-one stack RSS after the demo loads",
            "target": f"≤ {GOALS['rss_mb']:.0f} MB",
            "figure": f"{results['rss_mb']} MB",
            "met": float(results["rss_mb"]) <= GOALS["rss_mb"],  # type: ignore[arg-type]
        },
    ]
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "first_run.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
