# syntax=docker/dockerfile:1
#
# One image for every process of the county marketplace. The same code runs as:
#
#   per-service API   uvicorn services.<name>.app:app --host 0.0.0.0 --port 8000
#   all-in-one API    uvicorn gateway.app:app --host 0.0.0.0 --port 8000      (default CMD)
#   migrations        python -m gateway migrate [--service <name>]
#   Celery worker     celery -A gateway.worker worker -Q <name> --concurrency 2 -l INFO
#   Celery beat       celery -A gateway.worker beat -l INFO -s /var/lib/county-market/beat/celerybeat-schedule
#   demo data         python -m gateway seed
#   local Stripe      localstripe --port 8420                                 (compose only)
#
# Stages:
#   base      python:3.11-slim with the runtime environment variables
#   builder   a virtualenv at /opt/venv with requirements.lock installed (compilers live here only)
#   runtime   base + the virtualenv + shared/ services/ gateway/, non-root, HEALTHCHECK  (final)
#
#   docker build --target runtime -t county-market .
#
# docker-compose.yml and infra/k8s/ use the `runtime` target and set the command per process.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------- base
FROM ${PYTHON_IMAGE} AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONFAULTHANDLER=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# ---------------------------------------------------------------------------- builder
FROM base AS builder

# Every pinned package ships a manylinux wheel for x86_64; the compilers are here for the
# architectures where one does not, and never reach the runtime image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN pip install --upgrade pip \
    && pip install -r /tmp/requirements.lock \
    && pip check

# ---------------------------------------------------------------------------- runtime
FROM base AS runtime

ARG APP_UID=10001
ARG APP_GID=10001

# Delivery manifests and labels print Chinese: a CJK font (4 MB) for fpdf2 to embed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid ${APP_GID} app \
    && useradd --system --uid ${APP_UID} --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /var/lib/county-market/storage /var/lib/county-market/keys /var/lib/county-market/beat \
    && chown -R app:app /var/lib/county-market \
    && chmod 0700 /var/lib/county-market/keys

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Code is owned by root and read-only for the app user; only /var/lib/county-market is writable.
COPY shared/ ./shared/
COPY services/ ./services/
COPY gateway/ ./gateway/
RUN python -m compileall -q shared services gateway

# Defaults for a container; compose and Kubernetes set the rest (DATABASE_URL, REDIS_URL ...).
ENV PORT=8000 \
    STORAGE_DIR=/var/lib/county-market/storage \
    JWT_PRIVATE_KEY_FILE=/var/lib/county-market/keys/jwt-signing.pem \
    LOG_JSON=true

USER app:app
EXPOSE 8000

# Liveness of an API process (per-service or all-in-one). Workers, beat and the migration job
# override or disable it (docker-compose.yml, infra/k8s/).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

CMD ["uvicorn", "gateway.app:app", "--host", "0.0.0.0", "--port", "8000", "--forwarded-allow-ips", "*"]
