# GAN Classroom: `make app` serves the app, `make test` runs the whole suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
RUNSTAMP := $(VENV)/.installed

.PHONY: app gradio test bench bench-quick lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# the project itself is installed editable, so exported scripts import gan_core from any folder
$(RUNSTAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-build-isolation --no-deps -e .
	touch $@

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-dev.txt
	$(BIN)/python -m pip install --no-build-isolation --no-deps -e .
	touch $(RUNSTAMP) $@

app: $(RUNSTAMP)
	$(BIN)/streamlit run app.py --server.port 8501

# the Gradio API over the same models (embed in a course page, call with gradio_client)
gradio: $(RUNSTAMP)
	$(BIN)/python -m ui.gradio_api --port 7860

# pytest exits 5 when nothing was collected: that is a failure, never a green run.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -ra --durations=20; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected"; fi; exit $$rc

BENCHES := train_speed time_to_digits preset_claims ui_latency toy2d explore_latency style img2img social_gan playground_scale classroom_load

# Benchmarks measure speed: run them on an otherwise idle machine.
bench: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b || exit 1; done

bench-quick: $(STAMP)
	for b in $(BENCHES); do $(BIN)/python -m bench.$$b --quick || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
