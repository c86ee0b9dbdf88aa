# Rift Webhooks service image. Nothing in it needs a native Prisma engine: the client talks to
# PostgreSQL through @prisma/adapter-pg, and scripts/start.mjs applies the migrations with the
# project's own applier (tools/prisma-offline, compiled into dist/ by `npm run build`; a CI test
# proves it builds the same catalog as schema.prisma). CI has no container engine:
# scripts/docker-rehearsal.mjs builds this file's final stage by following its lines and runs its
# CMD with compose's environment (README, Docker).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install script may download anything (Prisma's engines are not used);
# `npm run build` generates the Prisma client without them (tools/prisma-offline/generate.ts).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools ./tools
COPY src ./src
# The tenant console (console/ into dist/public/console/, esbuild).
COPY console ./console
COPY scripts/build-console.mjs ./scripts/
RUN npm run build

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY prisma/migrations ./prisma/migrations
COPY scripts/start.mjs scripts/healthcheck.mjs ./scripts/
# Files stay root-owned and read-only to the service's user.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# One node process, PID 1, no shell in between: SIGTERM reaches the service, which drains,
# commits and leaves its consumer groups (allow longer than SHUTDOWN_TIMEOUT_MS to stop).
CMD ["node", "scripts/start.mjs"]
