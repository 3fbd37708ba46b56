# Shoebox: `make run` opens the window, `make test` runs every check.
# Both install the system packages Fyne needs when they are missing.

GO      ?= go
BINARY  ?= shoebox

.PHONY: all deps run build test race vet bench package screenshots clean

all: build

deps:
	@bash scripts/install-deps.sh

run: deps
	$(GO) run .

build: deps
	$(GO) build -trimpath -o $(BINARY) .

vet: deps
	$(GO) vet ./...

# The README's test command: vet, then every test with the race detector,
# then the optional cgo libjpeg-turbo decoder against the pure-Go default.
test: deps
	$(GO) vet ./...
	$(GO) test -race ./...
	$(GO) test -tags libjpegturbo -run 'Turbo' ./processing/...

# Builds (or reuses) the benchmark folder and prints files/s, MB/s and peak
# memory beside ceilings measured in the same run.
bench: deps
	@bash scripts/install-deps.sh --bench
	bash scripts/bench.sh

# Linux package with the fyne tool and a Windows .exe cross-compiled with mingw-w64.
package: deps
	@bash scripts/install-deps.sh --windows
	bash scripts/package.sh

clean:
	rm -rf $(BINARY) $(BINARY).exe dist bench-out
