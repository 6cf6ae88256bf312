# The two commands of the README:
#   make run    runs the newsroom on the embedded default (SQLite in ./data) with demo content
#   make test   runs the whole test suite (SQLite and PostgreSQL; starts what it needs)
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
export CGO_ENABLED = 0

.PHONY: build run test fuzz clean

build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o bin/newsroom ./cmd/newsroom

run: build
	./bin/newsroom serve --demo

test:
	./scripts/test.sh

# Longer fuzzing of the parsers and sanitizers (not part of `make test`).
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzSanitize -fuzztime=60s ./internal/richtext/
	$(GO) test -run='^$$' -fuzz=FuzzSlugify -fuzztime=60s ./internal/textvi/
	$(GO) test -run='^$$' -fuzz=FuzzMFACode -fuzztime=60s ./internal/httpapi/
	$(GO) test -run='^$$' -fuzz='^FuzzLogin$$' -fuzztime=60s ./internal/httpapi/

clean:
	rm -rf bin
