# One image for every Pioneer Notify process (api, worker, beat, migrate); compose.yaml picks
# the command. Build: docker build -t pioneer-notify .
FROM python:3.11-slim

# GUNICORN_BIND_HOST: in a container the API listens on every interface (gunicorn.conf.py
# defaults to loopback).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_BIND_HOST=0.0.0.0

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes. The runtime lock
# only: the dev tools (requirements-dev.lock) stay out of the image.
COPY requirements.lock ./
RUN pip install -r requirements.lock

# .dockerignore keeps tests/, the dev lock and local state out of this copy.
COPY . .

# Never run as root: the API and the workers only need to read the code.
RUN useradd --create-home --uid 10001 pioneer \
    && mkdir -p /app/var \
    && chown pioneer:pioneer /app/var
USER pioneer

EXPOSE 3000
CMD ["gunicorn", "-c", "pioneer/gunicorn.conf.py", "pioneer.wsgi"]
