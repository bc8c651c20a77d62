# syntax=docker/dockerfile:1
# Bookstore container image: the same release as the AMI, started the same way.
#   docker build -t bookstore .
#   docker compose up   (MySQL, two app replicas, nginx in front)

ARG NODE_VERSION=26

# --- deps: every dependency, to build with -----------------------------------
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: server bundle and fingerprinted client assets ----------------------
FROM deps AS build
COPY . .
RUN npm run build

# --- production dependencies only ---------------------------------------------
FROM deps AS production-deps
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime -------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
# tini reaps zombies and forwards SIGTERM so the app can drain and exit cleanly.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 bookstore \
 && useradd --system --uid 10001 --gid bookstore --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin bookstore \
 && install -d -o bookstore -g bookstore -m 0750 /data /data/uploads /data/assets
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    UPLOADS_DIR=/data/uploads \
    DATABASE_URL=sqlite:/data/bookstore.sqlite
# Code and dependencies belong to root: the app user cannot rewrite them.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json package-lock.json ./
USER bookstore:bookstore
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "build/server/index.js"]
