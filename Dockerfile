# syntax=docker/dockerfile:1
#
# Salon images. Two runnable targets:
#   docker build --target app -t salon-app .   # API, jobs worker, recorder, admin CLI (default target)
#   docker build --target web -t salon-web .   # SvelteKit server (adapter-node), the public origin
# docker-compose.yml builds both. Neither image holds a secret: every key arrives through the
# environment (or SECRETS_FILE) at run time.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
# No update checks, audit or funding calls from npm, at build or at run time.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------------------------
# Manifests only, so the dependency layers are rebuilt only when a package.json or the lockfile
# changes. Every npm workspace of the root package.json must be listed here: npm ci silently
# leaves out a workspace whose package.json it cannot see (tests/deploy/compose.test.ts checks).
FROM base AS manifests
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY db/package.json db/
COPY policies/package.json policies/
COPY web/package.json web/
COPY tests/package.json tests/
COPY bench/package.json bench/
# Fixes to dependencies, applied by the root postinstall (patch-package) after every npm ci.
COPY patches ./patches

# ---------------------------------------------------------------------------------------------
# Every dependency, dev ones included: the web build needs Vite, SvelteKit and Paraglide.
FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --include=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
# The web image ships web/build without node_modules: adapter-node bundles devDependencies into
# the build and leaves only `dependencies` external. Fail here, not at run time, if web gains any.
RUN node -e "const d=require('./web/package.json').dependencies||{};if(Object.keys(d).length){console.error('web has runtime dependencies; install them in the web target:',Object.keys(d));process.exit(1)}" \
    && npm run build -w web

# ---------------------------------------------------------------------------------------------
# Production dependencies of every workspace (tsx is a runtime dependency of api: the server runs
# its TypeScript directly). Workspace-level node_modules folders are kept, hence the whole /app.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
FROM base AS web
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
# package.json for "type": "module"; the build is self-contained (see the build stage).
COPY web/package.json ./web/package.json
COPY --from=build /app/web/build ./web/build
USER node
EXPOSE 3000
# /healthz is proxied to API_ORIGIN, so "healthy" means the whole request path answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "web/build"]

# ---------------------------------------------------------------------------------------------
# Last stage = default target.
FROM base AS app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    WEB_BUILD_DIR=/app/web/build
COPY --from=prod-deps /app ./
COPY tsconfig.base.json ./
COPY api ./api
COPY db ./db
COPY policies ./policies
# The web build too, so `docker run salon-app` alone is the one-origin server `npm start` is.
COPY --from=build /app/web/build ./web/build
# Code stays root-owned and read-only for the process; only DATA_DIR (recordings, export
# archives, SMS outbox) is writable. A named volume mounted here inherits this ownership.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "api/src/server.ts"]
