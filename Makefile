# Shoebox: `make run` opens the window, `make test` runs every check.
# Both install the system packages Fyne needs when they are missing.

GO      ?= go
BINARY  ?= shoebox

.PHONY: all deps run build test lint race vet bench bench-scale package screenshots clean

all: build

deps:
	@bash scripts/install-deps.sh

run: deps
	$(GO) run .

build: deps
	$(GO) build -trimpath -o $(BINARY) .

vet: deps
	$(GO) vet ./...

STATICCHECK_VERSION ?= v0.8.2
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck

# The README's test command: formatting, a tidy go.mod, vet and staticcheck,
# then every test with the race detector (the quietlocale module too), then
# the optional cgo libjpeg-turbo decoder against the pure-Go default.
test: deps lint
	@bash scripts/install-deps.sh --test
	$(GO) test -race -timeout 20m ./...
	cd quietlocale && $(GO) test -race ./...
	$(GO) test -tags libjpegturbo -run 'Turbo' ./imagehash/...

lint: deps $(STATICCHECK)
	@unformatted=$$(gofmt -l . ); if [ -n "$$unformatted" ]; then echo "gofmt: not formatted: $$unformatted"; exit 1; fi
	@tmp=$$(mktemp -d) && cp go.mod go.sum "$$tmp" && $(GO) mod tidy && \
	  if ! cmp -s go.mod "$$tmp/go.mod" || ! cmp -s go.sum "$$tmp/go.sum"; then \
	    echo "go mod tidy would change go.mod or go.sum:"; diff -u "$$tmp/go.mod" go.mod; \
	    cp "$$tmp/go.mod" "$$tmp/go.sum" .; rm -rf "$$tmp"; exit 1; fi; rm -rf "$$tmp"
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@# The macOS and Windows code paths of the packages that change files
	@# compile here (they cannot run on Linux; the window's need cgo).
	GOOS=darwin GOARCH=arm64 $(GO) vet ./safefs/ ./trash/ ./store/ ./app/
	GOOS=windows GOARCH=amd64 $(GO) vet ./safefs/ ./trash/ ./store/ ./app/

$(STATICCHECK):
	GOBIN=$(dir $(STATICCHECK)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# Builds (or reuses) the benchmark folder and prints files/s, MB/s and peak
# memory beside ceilings measured in the same run.
bench: deps
	@bash scripts/install-deps.sh --bench
	bash scripts/bench.sh

# Library size, scan, rescan, report, dups and open time at 10k and 100k files
# (SCALE_1M=1 adds a million: about half an hour).
bench-scale:
	bash scripts/bench-scale.sh

# Linux package with the fyne tool and a Windows .exe cross-compiled with mingw-w64.
package: deps
	@bash scripts/install-deps.sh --windows
	bash scripts/package.sh

clean:
	rm -rf $(BINARY) $(BINARY).exe dist bench-out
