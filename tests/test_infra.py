"""Static checks of the deployment files: Dockerfile, docker-compose.yml, infra/.

No Docker engine or cluster is needed: the files are parsed (PyYAML) and cross-checked, so a
service added to `gateway.services.SERVICES` without its container, route, Deployment or
worker fails here. `kubectl kustomize` is run when kubectl is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.services import SERVICES

REPO = Path(__file__).resolve().parent.parent
INFRA = REPO / "infra"
K8S = INFRA / "k8s"
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
NGINX_CONF = INFRA / "nginx" / "nginx.conf"

# The services the brief and DESIGN.md's "Run modes" ask infra for; SERVICES must cover them.
EXPECTED = ["identity", "catalog", "suppliers", "repository", "payments", "delivery"]
ONE_SHOT = {"migrate", "seed"}


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_services() -> dict[str, Any]:
    return load_compose()["services"]


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(c) for c in command]


def dockerfile_stages() -> dict[str, str]:
    """Stage name -> the image or stage it starts FROM."""
    stages: dict[str, str] = {}
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        match = re.match(
            r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$", line, re.I
        )
        if match:
            stages[match.group(2) or f"#{len(stages)}"] = match.group(1)
    return stages


def infra_yaml_files() -> list[Path]:
    return sorted(p for p in INFRA.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def k8s_documents() -> list[tuple[Path, dict[str, Any]]]:
    docs = []
    for path in sorted((K8S / "base").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and "kind" in doc and doc.get("kind") != "Kustomization":
                docs.append((path, doc))
    return docs


def k8s_by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in k8s_documents() if d["kind"] == kind}


def pod_containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    return workload["spec"]["template"]["spec"]["containers"]


# ------------------------------------------------------------------------------ the service list


def test_service_list_covers_the_six_services():
    assert set(EXPECTED) <= set(SERVICES), (
        f"gateway.services.SERVICES lacks {set(EXPECTED) - set(SERVICES)}"
    )


# ------------------------------------------------------------------------------ YAML parses


def test_compose_and_every_infra_yaml_parse():
    assert isinstance(load_compose(), dict)
    files = infra_yaml_files()
    assert files, "no YAML under infra/"
    for path in files:
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        assert docs, f"{path.relative_to(REPO)} is empty"


# ------------------------------------------------------------------------------ Dockerfile


def test_dockerfile_is_multi_stage_on_python_311_slim_non_root_with_healthcheck():
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = dockerfile_stages()
    assert {"builder", "runtime"} <= set(stages), stages
    assert (
        re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, re.M)
        or "python:3.11-slim" in stages.values()
    )
    assert "requirements.lock" in text and re.search(
        r"pip install .*-r \S*requirements\.lock", text
    )
    for folder in ("shared", "services", "gateway"):
        assert re.search(rf"^COPY {folder}/ ", text, re.M), f"{folder}/ is not copied"
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image runs as root"
    assert re.search(r"^HEALTHCHECK .*\n?.*healthz", text, re.M), "no HEALTHCHECK on /healthz"
    assert list(stages)[-1] == "runtime", "the last (default) stage should be the runtime"


def test_dockerignore_keeps_local_state_out_of_the_image():
    entries = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".local", ".git"} <= entries


# ------------------------------------------------------------------------------ compose


def test_compose_backing_services_and_their_healthchecks():
    services = compose_services()
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["meilisearch"]["image"].startswith("getmeili/meilisearch:v1.21")
    assert services["meilisearch"]["environment"].get("MEILI_MASTER_KEY")
    for name in ("postgres", "redis", "meilisearch"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_compose_migrate_job_waits_for_healthy_postgres():
    migrate = compose_services()["migrate"]
    assert command_of(migrate)[:4] == ["python", "-m", "gateway", "migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate.get("restart") == "no", "a one-shot job must not be restarted"


@pytest.mark.parametrize("name", EXPECTED)
def test_compose_runs_each_service_api_in_its_own_container(name):
    services = compose_services()
    assert name in services, f"no compose service {name!r}"
    service = services[name]
    command = command_of(service)
    assert command[0] == "uvicorn" and f"services.{name}.app:app" in command
    assert "--port" in command and command[command.index("--port") + 1] == "8000"
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    env = service["environment"]
    assert env["JWKS_URL"] == "http://identity:8000/v1/identity/.well-known/jwks.json"
    assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")


@pytest.mark.parametrize("name", EXPECTED)
def test_compose_service_image_is_built_from_an_existing_dockerfile_stage(name):
    service = compose_services()[name]
    build = service.get("build")
    assert build, f"{name} does not build the project's image"
    target = build.get("target") if isinstance(build, dict) else None
    assert target in dockerfile_stages(), f"{name}: Dockerfile has no stage {target!r}"


@pytest.mark.parametrize("name", EXPECTED)
def test_compose_has_a_celery_worker_for_each_queue(name):
    worker = compose_services().get(f"worker-{name}")
    assert worker, f"no compose service worker-{name}"
    command = command_of(worker)
    assert command[:4] == ["celery", "-A", "gateway.worker", "worker"]
    assert command[command.index("-Q") + 1] == name


def test_compose_has_exactly_one_beat():
    services = compose_services()
    beats = [
        n
        for n, s in services.items()
        if command_of(s)[:1] == ["celery"] and "beat" in command_of(s)
    ]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_compose_healthcheck_on_every_long_running_service():
    for name, service in compose_services().items():
        healthcheck = service.get("healthcheck") or {}
        if name in ONE_SHOT:
            continue
        assert healthcheck.get("test") and not healthcheck.get("disable"), (
            f"{name} has no healthcheck"
        )


def test_compose_gateway_is_nginx_on_8000_with_the_infra_config():
    gateway = compose_services()["gateway"]
    assert gateway["image"].startswith("nginx:")
    assert any(str(p).endswith(":8000") for p in gateway["ports"])
    assert any("infra/nginx/nginx.conf:/etc/nginx/nginx.conf" in v for v in gateway["volumes"])
    for name in EXPECTED:
        assert gateway["depends_on"][name]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", sorted(set(EXPECTED) | set(SERVICES)))
def test_service_app_module_exists_for_each_compose_service(name):
    if name not in compose_services():
        pytest.fail(f"{name} is in SERVICES but has no compose container")
    app = REPO / "services" / name / "app.py"
    if not app.exists():
        pytest.skip(f"services/{name}/app.py is not written yet (the service is being built)")
    assert app.is_file()


# ------------------------------------------------------------------------------ nginx


def nginx_text() -> str:
    # Without comments, so that a commented-out block does not count.
    return "\n".join(
        line.split("#", 1)[0] for line in NGINX_CONF.read_text(encoding="utf-8").splitlines()
    )


def test_nginx_config_is_balanced_and_sets_limits_timeouts_and_request_id():
    text = nginx_text()
    assert text.count("{") == text.count("}"), "unbalanced braces"
    assert re.search(r"client_max_body_size\s+10m;", text)
    assert re.search(r"proxy_set_header\s+X-Request-ID\s+\$\w+;", text)
    for directive in ("proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout"):
        assert re.search(rf"{directive}\s+\d+s;", text), f"no {directive}"
    assert re.search(r"listen\s+8000\b", text)


@pytest.mark.parametrize("name", EXPECTED)
def test_nginx_routes_each_service_to_its_upstream(name):
    text = nginx_text()
    upstream = re.search(rf"upstream\s+{name}\s*\{{(.*?)\}}", text, re.S)
    assert upstream, f"no upstream {name}"
    assert re.search(rf"server\s+{name}:8000\b", upstream.group(1))
    location = re.search(rf"location\s+/v1/{name}/\s*\{{(.*?)\}}", text, re.S)
    assert location, f"no location /v1/{name}/"
    # No URI after the upstream: the path reaches the service unchanged (/v1/<name>/...).
    assert re.search(rf"proxy_pass\s+http://{name};", location.group(1))


# ------------------------------------------------------------------------------ Kubernetes


def kustomization_files() -> list[Path]:
    return sorted(K8S.rglob("kustomization.yaml"))


def test_every_kustomization_lists_files_that_exist():
    files = kustomization_files()
    assert K8S / "base" / "kustomization.yaml" in files
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        here = path.parent
        referenced: list[str] = list(doc.get("resources", [])) + list(doc.get("components", []))
        for patch in doc.get("patches", []) + doc.get("patchesStrategicMerge", []):
            if isinstance(patch, str):
                referenced.append(patch)
            elif "path" in patch:
                referenced.append(patch["path"])
        for generator in doc.get("configMapGenerator", []) + doc.get("secretGenerator", []):
            referenced += generator.get("envs", []) + [
                f.split("=", 1)[-1] for f in generator.get("files", [])
            ]
        for ref in referenced:
            target = here / ref
            assert target.exists(), f"{path.relative_to(REPO)} lists {ref}, which does not exist"
            if target.is_dir():
                assert (target / "kustomization.yaml").exists(), f"{ref} is not a kustomization"
        listed = {(here / r).resolve() for r in doc.get("resources", [])}
        if path.parent == K8S / "base":
            for manifest in here.glob("*.yaml"):
                if manifest.name != "kustomization.yaml":
                    assert manifest.resolve() in listed, f"base/{manifest.name} is not listed"


def test_generated_k8s_manifests_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(K8S / "generate.py"), "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, "run `.venv/bin/python infra/k8s/generate.py`:\n" + result.stderr


@pytest.mark.parametrize("name", EXPECTED)
def test_k8s_api_deployment_with_service_hpa_and_probes(name):
    deployments = k8s_by_kind("Deployment")
    assert name in deployments, f"no Deployment {name}"
    deployment = deployments[name]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    (container,) = pod_containers(deployment)
    assert f"services.{name}.app:app" in container["command"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    refs = container["envFrom"]
    assert any("configMapRef" in r for r in refs) and any("secretRef" in r for r in refs)

    service = k8s_by_kind("Service").get(name)
    assert service, f"no Service {name}"
    assert service["spec"]["selector"].items() <= pod_labels.items(), "Service selects no pod"
    port_names = {p["name"] for p in container["ports"]}
    assert all(
        p["targetPort"] in port_names or p["targetPort"] == 8000 for p in service["spec"]["ports"]
    )

    hpa = k8s_by_kind("HorizontalPodAutoscaler").get(name)
    assert hpa, f"no HorizontalPodAutoscaler {name}"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["averageUtilization"] == 70
    assert "replicas" not in deployment["spec"], "the HPA owns replicas"


def test_k8s_every_api_deployment_has_a_service_and_an_hpa():
    services = k8s_by_kind("Service")
    hpas = k8s_by_kind("HorizontalPodAutoscaler")
    for name, deployment in k8s_by_kind("Deployment").items():
        if deployment["metadata"]["labels"].get("app.kubernetes.io/component") != "api":
            continue
        assert name in services and name in hpas, f"Deployment {name} lacks a Service or an HPA"


@pytest.mark.parametrize("name", EXPECTED)
def test_k8s_worker_deployment_per_queue(name):
    worker = k8s_by_kind("Deployment").get(f"worker-{name}")
    assert worker, f"no Deployment worker-{name}"
    command = pod_containers(worker)[0]["command"]
    assert command[:4] == ["celery", "-A", "gateway.worker", "worker"]
    assert command[command.index("-Q") + 1] == name


def test_k8s_beat_is_a_single_replica_recreated():
    beats = [
        d
        for d in k8s_by_kind("Deployment").values()
        if "beat" in pod_containers(d)[0]["command"]
        and pod_containers(d)[0]["command"][0] == "celery"
    ]
    assert len(beats) == 1
    (beat,) = beats
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    assert beat["metadata"]["name"] not in k8s_by_kind("HorizontalPodAutoscaler")


def test_k8s_migration_job():
    jobs = k8s_by_kind("Job")
    assert "migrate" in jobs
    spec = jobs["migrate"]["spec"]["template"]["spec"]
    assert spec["containers"][0]["command"] == ["python", "-m", "gateway", "migrate"]
    assert spec["restartPolicy"] in ("Never", "OnFailure")


def test_k8s_ingress_routes_each_service():
    (ingress,) = k8s_by_kind("Ingress").values()
    routes = {
        p["path"]: p["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    }
    services = k8s_by_kind("Service")
    for name in EXPECTED:
        assert routes.get(f"/v1/{name}/") == name, f"/v1/{name}/ is not routed to Service {name}"
    assert all(target in services for target in routes.values())
    assert (
        ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "10m"
    )


def test_k8s_every_container_reads_the_configmap_and_the_secret():
    kustomization = yaml.safe_load(
        (K8S / "base" / "kustomization.yaml").read_text(encoding="utf-8")
    )
    generated = {g["name"] for g in kustomization.get("configMapGenerator", [])}
    for _, doc in k8s_documents():
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in pod_containers(doc):
            refs = container.get("envFrom", [])
            maps = {r["configMapRef"]["name"] for r in refs if "configMapRef" in r}
            secrets = {r["secretRef"]["name"] for r in refs if "secretRef" in r}
            assert maps and maps <= generated, f"{doc['metadata']['name']}: ConfigMap {maps}"
            assert secrets, f"{doc['metadata']['name']}: no Secret"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("overlay", ["base", "overlays/production"])
def test_kustomize_builds(overlay):
    result = subprocess.run(
        ["kubectl", "kustomize", str(K8S / overlay)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    kinds = {d["kind"] for d in yaml.safe_load_all(result.stdout) if d}
    assert {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "Job",
        "Ingress",
        "ConfigMap",
    } <= kinds
