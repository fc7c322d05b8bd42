# docgen: the two set-up commands of the README.
#   make demo   install, then build the example plans into build/ (documents, 通报 with charts, cascaded plans, notices)
#   make test   install (system packages too when run as root), then run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
# Debian packages: LibreOffice for PDF, CJK fonts for rendering (stand-ins for the official faces,
# see docgen/render/fonts.conf: Fandol 仿宋/楷体 from texlive-lang-chinese, Noto CJK SC, Liberation
# for Times New Roman), poppler for PDF inspection, git for the diff and walk-through tests, postgresql
# (a temporary cluster) and chromium with its driver for the `docgen serve` tests.
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-arphic-ukai texlive-lang-chinese \
                   fonts-liberation2 fonts-wqy-zenhei poppler-utils git postgresql chromium chromium-driver

.PHONY: demo test fuzz bench install system-packages clean

demo: system-packages install
	$(BIN)/docgen check plans/
	$(BIN)/docgen build
	$(BIN)/docgen cascade plans/city/three-year-plan.yaml --to-level 村社区 -o build/cascade --force
	$(BIN)/docgen notify plans/city/three-year-plan.yaml -o build/notify/three-year-plan

test: system-packages install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# A long random fuzz campaign (not part of `make test`): FUZZ_EXAMPLES cases across every untrusted
# surface, a new seed each run unless FUZZ_SEED is given; the seed is printed first so that any case it
# finds can be repeated with `make fuzz FUZZ_SEED=N`.
FUZZ_EXAMPLES ?= 10000
ifndef FUZZ_SEED
FUZZ_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
# Surfaces: plans, registries, returned ledgers, Word files for textconv (tests/fuzz/test_fuzz.py), imported
# .txt/.docx/.pdf (test_fuzz_import.py), [tool.docgen] (test_fuzz_config.py), 通报 data (test_fuzz_bulletin.py),
# edited plans through cascade/notify/render/diff (test_fuzz_commands.py), the language server's
# messages (tests/lsp/test_lsp_hostile.py);
# each case's outcome is appended to FUZZ_LOG, and the count of cases run (and failed) is printed at the end.
FUZZ_FILES := tests/fuzz/test_fuzz_import.py tests/fuzz/test_fuzz_config.py tests/fuzz/test_fuzz_bulletin.py \
              tests/fuzz/test_fuzz.py tests/fuzz/test_fuzz_commands.py tests/ingest/test_text_fuzz.py \
              tests/lsp/test_lsp_hostile.py
FUZZ_LOG ?= build/fuzz-$(FUZZ_SEED).log
fuzz: install
	@echo "fuzz seed: $(FUZZ_SEED)  (repeat: make fuzz FUZZ_SEED=$(FUZZ_SEED) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES))"
	@mkdir -p $(dir $(FUZZ_LOG)) && rm -f $(FUZZ_LOG)
	DOCGEN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DOCGEN_FUZZ_SEED=$(FUZZ_SEED) DOCGEN_FUZZ_LOG=$(abspath $(FUZZ_LOG)) \
	  $(BIN)/python -m pytest -q -p no:cacheprovider $(FUZZ_FILES) --hypothesis-show-statistics \
	  --hypothesis-seed=$(FUZZ_SEED); status=$$?; \
	  echo "fuzz seed $(FUZZ_SEED): $$(grep -c '' $(FUZZ_LOG) 2>/dev/null; true) cases run," \
	    "$$(grep -c '^FAIL' $(FUZZ_LOG) 2>/dev/null; true) failed (log: $(FUZZ_LOG))"; exit $$status

# Every benchmark at its small size (a few minutes); each takes --size large for the real sizes.
BENCHES := $(wildcard bench/*.py)
bench: system-packages install
	@for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(MAKE) --no-print-directory python-venv
	$(PYTHON) -m venv $(VENV)
	@echo "创建虚拟环境 $(VENV)/ 并升级 pip……"
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "安装 docgen 及其全部依赖（公文、PDF、图表、语言服务器和测试工具）到 $(VENV)/：首次约需 2 分钟……"
	$(BIN)/python -m pip install --progress-bar off -e '.[all,test]'
	@# an editable install compiles nothing: byte-compile now, so that each docgen command starts
	@# without compiling its modules (they are re-read only when a source file is newer)
	$(BIN)/python -m compileall -q docgen
	@touch $@

# Debian's python3 ships without ensurepip; python3-venv brings it.
python-venv:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	else echo "请先安装 python3-venv（sudo apt-get install python3-venv）。" >&2; exit 2; fi

system-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "apt-get install $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "not root: skipping apt-get; make sure these are installed: $(SYSTEM_PACKAGES)" >&2; fi

clean:
	rm -rf build $(VENV) .pytest_cache
