# Two images from one build, each for both apps; the compose `command` chooses which app runs.
#   --target production (the default): what production runs, and nothing else:
#       node dist/apps/billing/main.js   or   node dist/apps/connectivity/main.js
#   --target demo: the same, plus the demo equipment, in dist/demo/ (docker-compose.yml uses it):
#       node dist/demo/billing/main.js (the console at /demo), node dist/demo/connectivity/main.js
#       (the chaos switches), node dist/demo/simulated-carrier/main.js (a stand-in SMS carrier).
#   The demo builds refuse to boot with NODE_ENV=production.

# ---- build: every dependency, then the bundles under dist/ ----
FROM node:24-bookworm-slim AS build
# No Nx daemon or cloud inside a one-shot image build.
ENV NX_DAEMON=false NX_NO_CLOUD=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies (the bundles leave node_modules external) ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8 sizes its heap from the machine's memory, not from what the app needs (about 50 MB live):
# uncapped on a large host, a busy app lets garbage pile up to 250 MB and more before collecting.
# A cap keeps resident memory flat (about 180 MB under load) at no measurable CPU cost
# (docs/performance.md); raise it if an app ever needs more.
ENV NODE_OPTIONS=--max-old-space-size=160
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The health probe compose runs as ["CMD", "node", "healthcheck.js"]: GET /health/ready on $PORT.
COPY tools/docker/healthcheck.js ./healthcheck.js
# The files stay root's and read-only to the app; it runs as the image's unprivileged user.
USER node
# billing listens on 3001, connectivity on 3002 (PORT moves them).
EXPOSE 3001 3002

# ---- demo: the production bundles and the demo equipment (docker-compose.yml) ----
FROM runtime AS demo
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/demo ./dist/demo

# ---- production (the default target): the production bundles alone ----
FROM runtime AS production
COPY --from=build /app/dist/apps ./dist/apps
