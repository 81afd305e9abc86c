# syntax=docker/dockerfile:1
# Build stage: resolve the locked dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

# Runtime stage: the venv and the code, run as an unprivileged user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 matchmaker
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src /srv/matchmaker
WORKDIR /srv/matchmaker
ENV PATH=/opt/venv/bin:$PATH \
    MATCHMAKER_DATABASE_URL=sqlite+aiosqlite:////data/matchmaker.db \
    PYTHONUNBUFFERED=1
RUN mkdir /data && chown matchmaker /data
USER matchmaker
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Alone, the image migrates, then serves (jobs run in the API process). compose.yaml runs the
# production shape from the same image: `matchmaker migrate` once, the API, and `matchmaker worker`s.
CMD ["sh", "-c", "matchmaker migrate && exec matchmaker serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
