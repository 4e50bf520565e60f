# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PO     := $(wildcard academy/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: run test install translations extract-messages update-messages clean

run: install translations
	$(BIN)/academy init --demo
	$(BIN)/academy serve --host $(HOST) --port $(PORT)

test: install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Academy needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(MO)

academy/translations/%/LC_MESSAGES/messages.mo: academy/translations/%/LC_MESSAGES/messages.po | install
	$(BIN)/pybabel compile -d academy/translations -l $* >/dev/null

# For translators: refresh the template and merge it into every catalog.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Academy --version 0.1 --copyright-holder "Academy contributors" -o academy/translations/messages.pot academy

update-messages: extract-messages
	$(BIN)/pybabel update -i academy/translations/messages.pot -d academy/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance .pytest_cache
