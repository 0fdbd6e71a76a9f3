"""Where the table definitions live, so migrations and create_all see every table."""

from __future__ import annotations

import importlib
import importlib.util

# Each part of the product keeps its tables in its own module; list them here.
MODEL_MODULES = (
    "spineconsult.store.models",
    "spineconsult.library.models",
)


def import_model_modules() -> None:
    for name in MODEL_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) and importlib.util.find_spec(name):
            importlib.import_module(name)
