# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
# The image installs exactly the versions uv.lock pins, as ./dev does (`--frozen`: the lock is
# taken as it is, checked against pyproject.toml by `./dev check`, with no need for clients/ here).
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY app ./app
ENV UV_PROJECT_ENVIRONMENT=/opt/nextdesk UV_COMPILE_BYTECODE=1 UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1
RUN uv sync --frozen --no-editable --python /usr/local/bin/python3

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 nextdesk
COPY --from=build /opt/nextdesk /opt/nextdesk
ENV PATH="/opt/nextdesk/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NEXTDESK_DATABASE_URL=sqlite:////data/nextdesk.db
RUN mkdir -p /data && chown nextdesk /data
USER nextdesk
WORKDIR /home/nextdesk
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# `serve` migrates the database to head before it listens.
ENTRYPOINT ["nextdesk"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
