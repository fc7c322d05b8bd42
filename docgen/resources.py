"""Where the files shipped with docgen live: schemas and Word templates.

In a wheel they are packaged under `docgen/_data/`; in a source checkout (editable install) they
are the repository's top-level `schemas/` and `templates/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent)


def data_dir(name: str) -> Path:
    """The folder `name` ("schemas" or "templates") of this installation."""
    for base in _CANDIDATES:
        folder = base / name
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"docgen installation is missing its {name}/ folder")


#: Kinds whose schema file is named otherwise.
_SCHEMA_FILES = {"data": "bulletin-data"}


def schema_path(kind: str) -> Path:
    """The JSON Schema for a document kind ("plan", "registry", "progress", "data")."""
    return data_dir("schemas") / f"{_SCHEMA_FILES.get(kind, kind)}.schema.json"
