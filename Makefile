# GAN Classroom: `make app` serves the app, `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
RUNSTAMP := $(VENV)/.installed

.PHONY: app test bench bench-quick lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(RUNSTAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $(RUNSTAMP) $@

app: $(RUNSTAMP)
	$(BIN)/streamlit run app.py --server.port 8501

# pytest exits 5 when nothing was collected: that is a failure, never a green run.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -ra; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected"; fi; exit $$rc

BENCHES := train_speed time_to_digits ui_latency toy2d explore_latency style img2img social_gan

# Benchmarks measure speed: run them on an otherwise idle machine.
bench: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b || exit 1; done

bench-quick: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b --quick || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
