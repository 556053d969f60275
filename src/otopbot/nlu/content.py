"""Which bot/ folder the NLU reads, and a hash of what it reads.

The NLU's data (training phrases, synonyms, aliases, the word list) lives in bot/intents and
bot/entities so staff can edit it without touching code. Plain functions such as
``entities.province(text)`` have no folder argument (form validators call them on one answer),
so the folder is process state here: the engine sets it, everything else reads it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from otopbot.nlu.normalize import normalize

_current: Path | None = None


def default_content_dir() -> Path:
    """The bot/ folder beside the checkout (or in the working directory)."""
    for base in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (base / "bot" / "intents").is_dir():
            return base / "bot"
    return Path.cwd() / "bot"


def content_dir() -> Path:
    return _current or default_content_dir()


def use_content_dir(path: Path) -> None:
    """Point every NLU lookup at another bot/ folder (the engine calls this)."""
    global _current
    _current = Path(path).resolve()


def nlu_files(root: Path) -> list[Path]:
    """Every file the NLU reads, in a stable order."""
    files = [p for sub in ("intents", "entities") for p in sorted((root / sub).glob("*")) if p.is_file()]
    return files


def content_hash(root: Path) -> str:
    """Hash of bot/intents and bot/entities: the key of the trained-model cache."""
    digest = hashlib.sha256()
    for path in nlu_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_word_file(path: Path) -> frozenset[str]:
    """One entry per line, ``#`` comments and blank lines ignored, normalised."""
    if not path.is_file():
        return frozenset()
    words = (normalize(line) for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))
