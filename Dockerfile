# Rift Webhooks service image. `prisma migrate deploy` runs before the service starts (the image can
# download Prisma's engines at build time, unlike some CI machines).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx prisma generate && npx nest build && node scripts/build-console.mjs && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# prisma (the CLI) is a dev dependency: bring it back for `migrate deploy` only.
RUN npm install --no-save prisma@7 && npx prisma --version
USER node
EXPOSE 3000
CMD ["sh", "-c", "npx prisma migrate deploy && node dist/main.js"]
