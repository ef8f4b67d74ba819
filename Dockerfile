# The Node services of the pipeline: productor_sismos (challenge 4), consumidor_alertas
# (challenge 5), estadisticas_sismos (challenge 6) and the bridge (the live dashboard), TypeScript
# run as is by tsx (a runtime dependency). docker-compose.yml builds it once and picks the command
# per service. Node 24 is the current LTS line, and CI runs the tests on it too (.ci/run).
FROM node:24-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so editing the code does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY src/core/ src/core/
COPY bridge/ bridge/
# The dashboard the bridge serves.
COPY index.html ./

# alertas.log is kept on a volume mounted at /data; a new volume takes this directory's owner.
RUN mkdir /data && chown node:node /data
USER node

CMD ["node", "--import", "tsx", "bridge/productor_sismos.ts"]
