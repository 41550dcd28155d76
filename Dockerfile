# syntax=docker/dockerfile:1
#
# Growthpilot production image: one image, two processes (docs/deployment.md).
#   docker build -t growthpilot .
#   docker run --init -p 3000:3000 --env-file .env growthpilot            # web: migrate, then serve
#   docker run --init --env-file .env growthpilot worker                  # BullMQ worker (REDIS_URL)
#   docker run --init --env-file .env growthpilot migrate                 # migrations only
#
# Not built in CI here (no Docker daemon on the dev machines); tests/deploy/dockerfile.test.ts
# checks that every file, script and command this file names exists.

# ---- build: dependencies (incl. dev, for the Remix build), Prisma client, Remix build -----------
FROM node:22-slim AS build
WORKDIR /app
ENV PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
# Manifests first so the dependency layer is cached across source changes. `npm ci` runs the
# postinstall (scripts/postinstall.mjs → `prisma generate`), which needs the schema and config.
COPY package.json package-lock.json ./
COPY scripts/postinstall.mjs ./scripts/postinstall.mjs
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
RUN npm ci
COPY . .
# The client is generated again in case the schema changed after the dependency layer was cached.
RUN npx prisma generate \
 && npm run build \
 && npm prune --omit=dev

# ---- runtime: production dependencies, the Remix build, the TypeScript sources tsx runs ----------
FROM node:22-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/tsconfig.json /app/prisma.config.ts ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./build
COPY --from=build --chown=node:node /app/app ./app
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/docker/entrypoint.sh ./docker/entrypoint.sh
USER node
EXPOSE 3000
# Liveness + database reachability (app/routes/healthz.tsx). Workers have no HTTP port: override
# with `--no-healthcheck` (or a process check) when running the `worker` command.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
