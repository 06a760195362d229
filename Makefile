# Stemme: `make run` serves the demo, `make test` lints and runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := STEMME_DEBUG=true STEMME_REQUIRE_2FA=false STEMME_MITID_BROKER=standin

.PHONY: run test lint format bench messages install install-dev browser media-tools clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Pinned, hash-checked installs from the committed locks (see DEVELOPERS.md to update them).
$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements.lock
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements-dev.lock
	touch $(VENV)/.installed $@

install: $(VENV)/.installed media-tools
install-dev: $(VENV)/.installed-dev media-tools

# Debian's ffmpeg remuxes uploaded video and sound without their metadata (core/uploads.py);
# exiftool (with Archive::Zip for Office files) is the independent reader the tests check with.
media-tools:
	@test -x /usr/bin/ffmpeg -a -x /usr/bin/ffprobe -a -x /usr/bin/exiftool \
		-a -f /usr/share/perl5/Archive/Zip.pm || { apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends ffmpeg libimage-exiftool-perl \
		libarchive-zip-perl; }

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

# The web server and the background worker (reminders) run side by side; Ctrl-C stops both.
run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo --if-empty
	$(DEMO_ENV) $(PY) manage.py lifebook_remind
	@echo
	@echo "Stemme serves on http://127.0.0.1:8000 (stop with Ctrl-C)"
	@trap 'kill 0' INT TERM EXIT; \
	$(DEMO_ENV) $(PY) manage.py db_worker --no-startup-delay --queue-name urgent & \
	$(DEMO_ENV) $(PY) manage.py db_worker --no-startup-delay --queue-name default,urgent & \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: install-dev browser lint
	$(PY) -m pytest

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: install-dev
	$(PY) bench/run.py

messages: install-dev
	STEMME_DEBUG=true $(PY) manage.py makemessages -l da --no-obsolete --no-location
	STEMME_DEBUG=true $(PY) manage.py compilemessages -l da

clean:
	rm -rf $(VENV) staticfiles
