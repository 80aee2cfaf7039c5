# The plazos image: the worker by default (`node dist/workers/main.js`); docker-compose.yml runs
# the web app from the same image. Build: `docker compose build`, or `docker build -t plazos .`
#
# Debian slim, not Alpine: the Temporal core bridge (@temporalio/core-bridge) ships prebuilt only
# for glibc (releases/x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu) and would not load on
# musl; SWC, which bundles the workflows when the worker starts, comes as a -gnu package too.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- deps: every dependency, for the build ------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm 11 runs no install script of a package that package.json's allowScripts does not allow, and
# it allows none; --ignore-scripts says the same to whatever npm the image brings: the native parts
# load from what the packages ship.
RUN npm ci --ignore-scripts --no-audit --no-fund

# ---- build: TypeScript to dist/, the workflows and the CLI bundled ahead of time -------------
FROM deps AS build
COPY . .
RUN npm run build

# ---- runtime: production dependencies, dist/ and the files read at run time --------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PLAZOS_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force \
    && node -e "require('@temporalio/core-bridge'); require('@swc/core')"
COPY --from=build /app/dist ./dist
# config/tools.json also marks the root that config/paths.ts looks for.
COPY config/areas.yaml config/calendar.yaml config/tools.json ./config/
COPY activities/email/templates ./activities/email/templates
COPY mailbox/templates ./mailbox/templates
# The CLI, for `docker compose run --rm worker node bin/plazos.js ...`.
COPY bin ./bin
# The sent-ledger and the evidence store; a named volume mounted here starts owned by `node`.
RUN mkdir -p /data && chown node:node /data
# The code stays root's and read-only; the process runs as the image's unprivileged `node` user.
USER node
CMD ["node", "dist/workers/main.js"]
