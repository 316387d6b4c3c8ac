# A runnable image: Asterisk 22 from Debian sid, Node 20, and the service. Asterisk runs in the same
# container as the service, bound to loopback; only the service's HTTP port and SIP are exposed.
# Not built in CI (no container engine there); the image mirrors what scripts/start.sh does on a host.
FROM debian:sid-slim AS base
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      asterisk asterisk-modules asterisk-core-sounds-en-gsm nodejs npm ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

FROM base AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Not `npm ci`: a dev dependency lists an optional package this registry lacks (see scripts/setup.sh).
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
RUN npm run build && npm prune --omit=dev

FROM base
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY asterisk-config asterisk-config
COPY ivr-flows ivr-flows
# The softphone page is served from src/web, and flows are type-checked against src/ivr at run time.
COPY src/web src/web
COPY src/ivr src/ivr
COPY scripts/docker-entrypoint.sh /usr/local/bin/contact-center
# The container is the sandbox: Asterisk's root is the image's own root.
ENV CC_ASTERISK_ROOT=/ CC_HTTP_HOST=0.0.0.0 CC_DATA_DIR=/var/lib/contact-center
VOLUME ["/var/lib/contact-center", "/app/recordings"]
EXPOSE 3000 5060/udp
ENTRYPOINT ["tini", "--", "contact-center"]
