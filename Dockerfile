# The gbfleet CLI as an image: ENTRYPOINT is gbfleet, so `docker run IMAGE run SCENARIO ...`.
# deploy/kubernetes runs it as an Indexed Job; the repository's scenarios are at /scenarios.
#   docker build -t registry.example.com/gbfleet:latest .
FROM node:20-bookworm-slim
RUN npm install -g pnpm@10.34.9
WORKDIR /app
# Packages first, keyed by the lockfile alone, so a source change reuses this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile && pnpm -s build && cp -r scenarios /scenarios
USER node
# A folder node may write, for the default runs/ of `docker run IMAGE run ...`.
WORKDIR /home/node
ENTRYPOINT ["node", "/app/packages/cli/dist/main.js"]
