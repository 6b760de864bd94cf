PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: all build demo test deps bench clean

all: build

build: dist/moshz

dist/moshz: build.py pyproject.toml $(shell find moshz -name '*.py')
	$(PYTHON) build.py

demo: deps build
	dist/moshz --local

deps:
	scripts/install-deps.sh

test: deps build
	$(PYTHON) -m pytest -q $(PYTEST_ARGS)

bench: deps build
	$(PYTHON) -m bench

clean:
	rm -rf dist build .pytest_cache
