# syntax=docker/dockerfile:1
# Switchboard — one image for the hub, the standalone MCP servers and the test-server.
# The TypeScript needs no build step: bin/switchboard.mjs registers tsx and runs the sources, so the
# image holds the sources plus production dependencies (tsx is one of them). The one thing built is
# the web console's static bundle (console/dist, served at /ui), in its own stage, so Vite and the
# console's other dev dependencies never reach the image.
#
#   docker build -t switchboard:local .
#   docker run --init --rm -p 7700:7700 switchboard:local                       # hub over HTTP
#   docker run --init --rm -i switchboard:local server fs --root /srv/work      # one server, stdio

ARG NODE_IMAGE=node:20-bookworm
ARG NODE_SLIM_IMAGE=node:20-bookworm-slim
# .npmrc sets strict-allow-scripts=true and package.json lists allowScripts; both need the npm the
# lockfile was written with (npm 10, which node:20 ships, ignores them and would run every script).
ARG NPM_VERSION=11.19.1

# ---- manifests: only the files `npm ci` reads, at their paths -------------------------------------
# Copies the whole context, then deletes everything that is not a package manifest. When only
# sources change, this stage's output is byte-identical, so the `npm ci` layer below stays cached —
# and new workspaces (mcp-servers/<name>) are picked up without editing this file.
FROM ${NODE_SLIM_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -depth -type d -empty -delete

# ---- deps: production dependencies only --------------------------------------------------------
# The full (non-slim) image has python3, make and g++ for native modules (better-sqlite3,
# hnswlib-node) should their prebuilt binaries not fit.
FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
RUN npm install -g "npm@${NPM_VERSION}" && npm --version
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --no-fund --no-audit \
 && npm cache clean --force

# ---- console: the web console's bundle (console/ → console/dist) ----------------------------------
# Only the console workspace's own (dev) dependencies are installed here — Vite, Preact, Cytoscape —
# not the whole tree; the runtime stage takes the built files and nothing else from this stage.
FROM ${NODE_IMAGE} AS console
ARG NPM_VERSION
RUN npm install -g "npm@${NPM_VERSION}" && npm --version
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --workspace=@switchboard/console --include-workspace-root=false --no-fund --no-audit
COPY console/ ./console/
COPY scripts/build-console.mjs ./scripts/
RUN node scripts/build-console.mjs \
 && test -f console/dist/index.html

# ---- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_SLIM_IMAGE} AS runtime
ENV NODE_ENV=production \
    LOG_LEVEL=info
WORKDIR /app

# Dependencies first (root and any nested workspace node_modules; workspace symlinks resolve to the
# sources copied next). Everything under /app stays owned by root: the service user can read its
# config, roles and code but not change them.
COPY --from=deps /app/ ./
COPY bin/ ./bin/
COPY cli/ ./cli/
COPY hub/ ./hub/
COPY mcp-servers/ ./mcp-servers/
COPY test-server/ ./test-server/
COPY roles/ ./roles/
COPY config/ ./config/
COPY cases/ ./cases/
# The console package: its manifest (the hub finds the bundle through @switchboard/console) and the
# built bundle, served at /ui.
COPY console/package.json ./console/
COPY --from=console /app/console/dist/ ./console/dist/

# The only writable places: /app/data (task store, audit log) and /srv/work (the fs root). Created
# here, owned by `node`, so named volumes mounted on them start with the right owner.
RUN mkdir -p /app/data /srv/work \
 && chown node:node /app/data /srv/work

USER node

EXPOSE 7700 8080

# No curl in slim images: node's own fetch. Probes the hub's default port; the test-server service
# overrides this in compose (it listens on 8080).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7700/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

STOPSIGNAL SIGTERM

ENTRYPOINT ["node", "bin/switchboard.mjs"]
CMD ["serve", "--http", "--port", "7700", "--host", "0.0.0.0"]
