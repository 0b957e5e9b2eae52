# The one Keyvex image: the `web` service runs its default command (`keyvex serve`), the
# `worker` service runs `keyvex worker` (see infra/). Settings come from KEYVEX_* variables.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/keyvex
COPY pyproject.toml README.md ./
COPY keyvex ./keyvex
# aws: DynamoDB item store and S3 blobs; redis: shared rate limits, the bus, SSE wake-ups;
# queue: taskiq's Redis broker for KEYVEX_JOBS=queue
RUN /opt/keyvex/bin/pip install ".[aws,redis,queue]"

FROM python:3.11-slim
ENV PATH=/opt/keyvex/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KEYVEX_DATA_DIR=/home/keyvex/data
RUN useradd --create-home --uid 10001 --user-group keyvex
COPY --from=build /opt/keyvex /opt/keyvex
USER keyvex
WORKDIR /home/keyvex
EXPOSE 8000
CMD ["keyvex", "serve", "--host", "0.0.0.0"]
