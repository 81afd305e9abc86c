"""Write the API contract, ``openapi.json`` at the repository root, from the code.

    .venv/bin/python -m scripts.openapi           # regenerate the snapshot
    .venv/bin/python -m scripts.openapi --check   # exit 1 if the snapshot differs from the code

The snapshot is committed so every contract change is a reviewed diff (docs/api-versioning.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.config import Settings
from app.main import create_app

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi.json"


def current_spec() -> dict[str, Any]:
    """The spec as the app serves it at /openapi.json, independent of the local environment."""
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:", public_url="http://127.0.0.1:8000", _env_file=None)
    return create_app(settings).openapi()


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if openapi.json differs from the code")
    args = parser.parse_args()
    text = render(current_spec())
    if args.check:
        if not SNAPSHOT.exists() or SNAPSHOT.read_text(encoding="utf-8") != text:
            print("openapi.json differs from the code: run `.venv/bin/python -m scripts.openapi`", file=sys.stderr)
            return 1
        return 0
    SNAPSHOT.write_text(text, encoding="utf-8")
    print(f"wrote {SNAPSHOT.name} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
