# One image for both apps; the compose `command` chooses which one runs:
#   node dist/apps/billing/main.js   or   node dist/apps/connectivity/main.js
# (and, for the production compose variant, the stand-in carrier: node dist/tools/simulated-carrier/main.js)

# ---- build: every dependency, then the bundles under dist/ ----
FROM node:24-bookworm-slim AS build
# No Nx daemon or cloud inside a one-shot image build.
ENV NX_DAEMON=false NX_NO_CLOUD=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies (the bundles leave node_modules external) and dist/ ----
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
COPY --from=build /app/dist ./dist
# The health probe compose runs as ["CMD", "node", "healthcheck.js"]: GET /health/ready on $PORT.
COPY tools/docker/healthcheck.js ./healthcheck.js
# The files stay root's and read-only to the app; it runs as the image's unprivileged user.
USER node
# billing listens on 3001, connectivity on 3002 (PORT moves them).
EXPOSE 3001 3002
