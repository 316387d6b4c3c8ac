# A runnable image: Asterisk 22 from Debian sid, Node (sid's, newer than 20) and the service, in one container,
# configured as scripts/start.sh does on a host. Run it with `--network host` (README, "Docker"): the
# softphone page registers on Asterisk's own WebSocket and media goes straight to Asterisk's RTP ports, so the
# container shares the host's addresses, and the CC_* variables decide what listens beyond loopback.
# No container daemon runs on this project's machines or CI: the steps were checked by replaying them in a
# Debian sid chroot (README, "Docker"), not with `docker build`. It runs as the `asterisk` user (below).
FROM debian:sid-slim AS base
# false on a machine whose clock makes sid's Release file look expired (lab notes; build-asterisk-root.sh).
ARG APT_CHECK_VALID_UNTIL=true
RUN apt-get -o Acquire::Check-Valid-Until=$APT_CHECK_VALID_UNTIL update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      asterisk asterisk-modules asterisk-core-sounds-en-gsm asterisk-core-sounds-es asterisk-core-sounds-es-gsm kamailio nodejs npm ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

FROM base AS build
ARG APT_CHECK_VALID_UNTIL=true
# better-sqlite3 compiles its addon when no prebuilt binary matches (sid's Node is newer than 20).
RUN apt-get -o Acquire::Check-Valid-Until=$APT_CHECK_VALID_UNTIL update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Not `npm ci`: a dev dependency lists an optional package this registry lacks (see scripts/setup.sh).
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
# The entrypoint starts Asterisk with the compiled sandbox CLI (tsconfig.build.json includes it).
COPY scripts/sandbox.ts scripts/sandbox.ts
COPY scripts/sandbox scripts/sandbox
RUN npm run build && npm prune --omit=dev

FROM base
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json config.example.json ./
COPY asterisk-config asterisk-config
# The SIP edge's script, started by the sandbox CLI when the config has sipEdge.
COPY sip-edge sip-edge
COPY ivr-flows ivr-flows
# The contact center's own sounds (custom/<name>; a Spanish caller's from sounds/es/ first); Asterisk's
# sounds/custom and sounds/es/custom lead here (below).
COPY sounds sounds
# The softphone page is served from src/web, and flows are type-checked against src/ivr at run time.
COPY src/web src/web
COPY src/ivr src/ivr
COPY scripts/docker-entrypoint.sh /usr/local/bin/contact-center
COPY scripts/print-sign-ins.mjs ./
# The container is the sandbox: Asterisk's root is the image's own root.
ENV CC_ASTERISK_ROOT=/ CC_DATA_DIR=/var/lib/contact-center
# Asterisk and the service run as the `asterisk` user Debian's package creates, not as root; it owns what they
# write: Asterisk's instance directory, the data and recordings volumes (a new named volume takes this owner).
RUN touch /.contact-center-root \
 && install -d -o asterisk -g asterisk /srv/contact-center /var/lib/contact-center /app/recordings \
 && rm -rf /usr/local/share/asterisk/sounds && mkdir -p /usr/local/share/asterisk \
 && ln -s /app/sounds /usr/local/share/asterisk/sounds \
 && ln -sfn /usr/local/share/asterisk/sounds/es "$(readlink -f /usr/share/asterisk/sounds/es)/custom"
USER asterisk
VOLUME ["/var/lib/contact-center", "/app/recordings"]
ENTRYPOINT ["tini", "--", "contact-center"]
