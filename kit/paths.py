"""Where the project's folders are."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The curated data folder: ``$KIT_DATA_DIR`` if set, else ``data/`` beside ``kit/``."""
    return Path(os.environ.get("KIT_DATA_DIR") or ROOT / "data")
