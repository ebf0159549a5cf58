# Parc: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
NPM   ?= npm

.PHONY: run playground test unit e2e node-deps vet bench load fuzz card-images

# Start the bot with the embedded store (./data) and demo data, authentication
# off, on 127.0.0.1:3978. French unless PARC_LOCALE says otherwise: the Agents
# Playground always announces an English (en-US) client.
run:
	PARC_LOCALE=$${PARC_LOCALE:-fr} $(GO) run ./cmd/parc serve --demo

# The Microsoft 365 Agents Playground (a local Teams client) connected to
# `make run`, kept on loopback; open http://127.0.0.1:56150 in a browser.
playground: node-deps
	TEAMSAPPTESTER_BROWSER=none node -r ./e2e/lib/loopback.cjs e2e/node_modules/@microsoft/m365agentsplayground/cli.js \
		-e http://127.0.0.1:3978/api/messages -c msteams -p 56150 \
		--service-url http://127.0.0.1:56150/_connector --disable-telemetry

# Every test: vet, the Go suite with the race detector (cards validated by the
# official renderer, storage contract on every backend), then the end-to-end
# suite through the Agents Playground.
test: node-deps vet unit e2e

node-deps:
	@if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then \
		$(NPM) ci --prefix e2e --no-audit --no-fund; fi

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }

unit:
	$(GO) test -race -count=1 ./...

e2e:
	@if [ -f e2e/run.sh ]; then ./e2e/run.sh; else echo "e2e: no suite yet"; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Every golden card rendered to PNG by the official renderer in Chromium,
# to look at them without Teams: e2e/out/cards/*.png.
card-images: node-deps
	node e2e/tools/render-cards.js e2e/out/cards cards/testdata/*.golden.json

# Load test: a real `parc serve` process with authentication on, replies to a
# local connector; prints activities/s, p50/p99 and peak RSS.
load:
	PARC_LOAD=1 $(GO) test -count=1 -run TestLoad -v ./bot

# Every fuzz test for FUZZTIME each (they also run as plain tests on their
# seeds in `make test`). Minimisation is kept short: the inventory readers
# are slow enough per input that the default 60 s per new input looks like
# a stall.
FUZZTIME ?= 20s
FUZZ := ./bot:FuzzParseActivity ./bot:FuzzCommandParsing ./bot/auth:FuzzAuthenticate \
	./bot/connector:FuzzParseRetryAfter ./bot/connector:FuzzEndpointKeepsIDInOneSegment \
	./storage/graph:FuzzRetryAfter ./domain:FuzzParseWhen ./domain:FuzzParseTerminalID \
	./domain:FuzzParseProductCatalogue ./domain:FuzzParsePriceList ./domain:FuzzParseMoney \
	./domain/inventory:FuzzReadCSV ./domain/inventory:FuzzReadXLSX

fuzz:
	@set -e; for f in $(FUZZ); do pkg=$${f%%:*}; fn=$${f##*:}; \
		echo "fuzz $$fn ($$pkg)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg; done
