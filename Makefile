# Anxin: two commands for a new user, `make run` and `make test`.
SWIFT  ?= swift
CONFIG ?= pipeline.conf
# Debian packages of the C libraries Anxin links against (zlib for the QR PNGs), and the
# independent QR decoder the tests read the PNGs back with, and unzip for reading workbooks back.
DEB_PACKAGES := libcsv-dev libxlsxwriter-dev libqrencode-dev zlib1g-dev zbar-tools unzip
ANXIN := .build/release/anxin

.PHONY: all deps build run test bench clean

all: build

# Installs the Debian packages that are missing (and only then touches apt).
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product anxin

# A local QR signing key for the sample (never committed: var/ is ignored by git).
KEY := var/qr-signing.key

$(KEY):
	@mkdir -p var && chmod 700 var
	@(umask 077; head -c 32 /dev/urandom > $(KEY))
	@echo "Created a local QR signing key for the sample: $(KEY)"

# The whole nightly pipeline on sample-data/ with pipeline.conf.
run: build $(KEY)
	$(ANXIN) run --config $(CONFIG)
	@echo "Reports and card files: var/out/  Datasets and the rejects ledger: var/work/  Registry: var/registry.sqlite"

test: deps
	$(SWIFT) test

# Throughput and memory benchmarks (release build; not part of `make test`).
bench: build
	bench/run.sh $(ANXIN)

clean:
	rm -rf .build var
