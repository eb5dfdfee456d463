#!/bin/sh
# Stand-in for Prisma 7's native schema engine, which cannot be downloaded on the machines this
# project is built on (only the npm registry is reachable). PRISMA_SCHEMA_ENGINE_BINARY points
# here so that `prisma generate` skips the download; any command that really needs the engine
# (migrate diff, db pull, …) fails loudly instead of silently printing nothing.
echo "schema engine not available here"
exit 1
