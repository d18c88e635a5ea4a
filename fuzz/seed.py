"""Write seed inputs for the harnesses into fuzz/corpus/{decode,pipeline,expr} from the shared corpus.

    python fuzz/seed.py
"""
from __future__ import annotations

import hashlib
import json
import re

from _common import ROOT, seed_files

SUFFIXES = (".json", ".yaml", ".yml", ".jsonc")
OUT = ROOT / "fuzz" / "corpus"
EXPRESSION = re.compile(r'"(\[[^"\[][^"]*\])"')


def write(kind: str, data: bytes) -> None:
    d = OUT / kind
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def main() -> None:
    files = seed_files()
    expressions: set[str] = set()
    for p in files:
        data = p.read_bytes()
        suffix = SUFFIXES.index(p.suffix) if p.suffix in SUFFIXES else 0
        write("pipeline", bytes([suffix]) + data)
        write("decode", bytes([1 if p.suffix == ".json" else 0]) + data)
        if p.suffix == ".json":
            expressions.update(json.loads(f'"{m}"') for m in EXPRESSION.findall(data.decode("utf-8", "replace"))[:200])
    for e in sorted(expressions):
        write("expr", e.encode())
    print(f"{len(files)} files, {len(expressions)} expressions -> {OUT}")


if __name__ == "__main__":
    main()
