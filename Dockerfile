# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN python -m venv /opt/nextdesk \
    && /opt/nextdesk/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/nextdesk/bin/pip install --no-cache-dir .

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
