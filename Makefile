# complaint-guard — every command a developer needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The scanners, pinned, in a venv of their own: checkov pins many libraries the project's venv must not get.
SCAN_VENV := .venv-scan
CHECKOV_VERSION := 3.3.30
BANDIT_VERSION := 1.9.4
export PYTHONPATH := infra:layers/shared/python
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 20
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 20
CDK_CLI := npx --yes aws-cdk@2.1148.1
PORT ?= 3000

.PHONY: help install browser console layer synth scan run demo test test-ready test-fast lint bench openapi deploy diff destroy clean train eval

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install everything the project needs

browser: ## Debian's Chromium and ChromeDriver for the tracking-page test (apt, needs root)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

TRIAGE_MODEL := layers/shared/python/complaints/triage/model/triage-model.json.gz
TRIAGE_MODEL_INPUTS := training/train.py training/prepare_data.py training/data/cfpb_narratives.csv \
  training/data/zh_bank_comments_dev.csv \
  $(addprefix layers/shared/python/complaints/triage/,text.py lexicon.py linear.py model.py)

# The triage model is generated (gitignored): rebuilt only when its code, data or the venv change.
$(TRIAGE_MODEL): $(VENV)/.installed $(TRIAGE_MODEL_INPUTS)
	$(BIN)/python -m training.train --output $@

# The staff console (console/): a static app built from the npm packages of its lockfile into
# console/dist (type-checked and unit-tested first), which `make run` serves at /console/ and `make deploy`
# publishes behind CloudFront.
CONSOLE := console/dist/index.html
CONSOLE_INPUTS := $(addprefix console/,package.json package-lock.json tsconfig.json build.mjs test.mjs) \
  $(wildcard console/src/* console/test/*)

$(CONSOLE): $(CONSOLE_INPUTS)
	cd console && npm ci --no-audit --no-fund --loglevel=error && npm run build

console: $(CONSOLE) ## build the staff console (console/dist; skipped when up to date)

layer: install $(TRIAGE_MODEL) ## build the arm64 / Python 3.13 dependency layer (skipped when up to date); the triage model in the shared layer
	$(BIN)/python scripts/build_deps_layer.py

synth: layer $(CONSOLE) ## synthesize the CDK stack into cdk.out (cdk-nag runs here)
	$(BIN)/python infra/app.py

$(SCAN_VENV)/.installed: Makefile
	@test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  checkov==$(CHECKOV_VERSION) bandit==$(BANDIT_VERSION)
	@touch $@

scan: synth $(SCAN_VENV)/.installed ## checkov on the template, bandit on the code; fails on what security/acknowledgements.yaml does not acknowledge
	$(BIN)/python scripts/scan.py --scanners $(SCAN_VENV)/bin

run: synth ## start the whole system locally on http://127.0.0.1:$(PORT)
	$(BIN)/python -m local --port $(PORT)

demo: install ## play 60 real CFPB complaints into `make run` and print the quarter's report (DEMO_ARGS="--count 120")
	$(BIN)/python scripts/demo.py --url http://127.0.0.1:$(PORT) $(DEMO_ARGS)

verify-archive: install ## check the audit trail's archive against the trail table and every hash chain (the `make run` runtime; --stack NAME for AWS)
	$(BIN)/python scripts/verify_archive.py --local http://127.0.0.1:$(PORT) $(VERIFY_ARGS)

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

train: $(TRIAGE_MODEL) ## train the triage model into the shared layer (seeded; skipped when up to date)

eval: $(TRIAGE_MODEL) ## triage figures on held-out data (product, zh sentiment, risk flags); fails on a missed target
	$(BIN)/python -m training.evaluate $(EVAL_ARGS)

# What the tests need, built two at a time (the pip installs, npm, the layer's downloads and the
# browser's apt wait on the network while the other job computes); each target's output kept together.
test-ready: synth scan lint browser

test: ## the scans, unit, integration, infra and end-to-end tests
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target test-ready
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=15

test-fast: install $(TRIAGE_MODEL) ## unit and integration tests only
	$(BIN)/python -m pytest tests/unit tests/integration

bench: install ## cold starts, latency, AWS calls, sweep reads, aggregation, cost → bench/results.json
	$(BIN)/python -m bench $(BENCH_ARGS)

openapi: install ## regenerate docs/openapi.json from the code
	$(BIN)/python scripts/export_openapi.py

# Two stacks (README, "Deploy to an AWS account"): scripts/deploy.py deploys the console's web ACL in
# us-east-1, reads its ARN and deploys the main stack with it; then the console's files are published.
deploy: synth ## deploy both stacks to the AWS account of your credentials (bootstrap it once first, see README), then publish the console
	$(BIN)/python scripts/deploy.py deploy --cdk '$(CDK_CLI)'
	$(BIN)/python scripts/publish_console.py

diff: synth ## what deploy would change (both stacks)
	$(BIN)/python scripts/deploy.py diff --cdk '$(CDK_CLI)'

destroy: ## delete both stacks, the main one first (tables, key, pool and logs are retained)
	$(CDK_CLI) destroy --app cdk.out --all

clean: ## remove generated output (not the venv)
	rm -rf cdk.out .build .pytest_cache .mypy_cache .ruff_cache $(TRIAGE_MODEL) console/dist
