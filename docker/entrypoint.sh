#!/bin/sh
# Container entry (see Dockerfile and docs/deployment.md).
#   web      (default) apply pending migrations, then serve the app on $PORT
#   worker   consume the BullMQ job queue (needs REDIS_URL); extra args go to the worker (--prefix …)
#   migrate  apply pending migrations and exit (a release/pre-deploy step)
#   anything else is executed as given (e.g. `sh`, `npx growthpilot import …`)
# `exec` replaces the shell with Node, so SIGTERM from the orchestrator reaches the graceful shutdown.
set -e
cmd="${1:-web}"
[ $# -gt 0 ] && shift
case "$cmd" in
  web)
    node --import tsx app/db/migrate.cli.ts
    exec node --import tsx app/server/main.ts "$@"
    ;;
  worker)
    exec node --import tsx app/server/worker.ts "$@"
    ;;
  migrate)
    exec node --import tsx app/db/migrate.cli.ts "$@"
    ;;
  *)
    exec "$cmd" "$@"
    ;;
esac
