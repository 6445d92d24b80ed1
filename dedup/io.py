"""Readers and writers. Inputs stream: a corpus is never loaded whole when it can be read in pieces.

Every input yields exactly one item: a :class:`~dedup.document.Document`, or a :class:`BadRecord` that
names the file or record and says why it could not be used, so nothing is lost silently.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .document import Document
from .errors import InputError

TEXT_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")

#: A charset declared in the page itself (``<meta charset=...>`` or the http-equiv form).
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


@dataclass(frozen=True)
class BadRecord:
    """An input that could not be read: it still gets its own output record, flagged as skipped."""

    id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Fields:
    """Names of the JSONL fields read for each record."""

    id: str = "id"
    text: str = "text"
    url: str = "url"
    source: str = "source"
    date: str = "date"


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in JSONL_SUFFIXES)


def _is_text(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def doc_id_for(path: Path) -> str:
    """The id of a document read from a file: its name without the extension."""
    name = path.name
    for suffix in (".txt.gz", ".html.gz", ".htm.gz"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | BadRecord]:
    """Expand files and folders (recursively, in sorted order) into the input files they hold.

    A path that does not exist, or a folder with no usable file, is reported as a :class:`BadRecord`.
    """
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path
        elif path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _is_text(child) or _is_jsonl(child) or child.name.lower().endswith((".txt.gz", ".html.gz")):
                    found = True
                    yield child
            if not found:
                yield BadRecord(str(path), str(path), "folder holds no .txt, .html or .jsonl files")
        elif path.is_file():
            yield path
        else:
            yield BadRecord(doc_id_for(path), str(path), "no such file or folder")


def decode_bytes(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode a page: the given encoding, else UTF-8, else the charset the page declares, else cp1252.

    Raises :class:`InputError` for binary data and for bytes that none of those decode.
    """
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary file (NUL bytes), not text: skipped")
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(source, f"cannot decode as {encoding}: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            source, "undecodable: not UTF-8, no usable declared charset, not Windows-1252 (try --encoding)"
        ) from None


def read_text_file(path: Path, encoding: str | None = None) -> Document | BadRecord:
    """One page from a .txt/.html file (optionally gzipped)."""
    doc_id = doc_id_for(path)
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return BadRecord(doc_id, str(path), f"unreadable: {exc.__class__.__name__}: {exc}")
    try:
        text = decode_bytes(data, str(path), encoding)
    except InputError as exc:
        return BadRecord(doc_id, str(path), exc.reason)
    return Document(id=doc_id, text=text, meta={"source_file": str(path)})


def _open_jsonl(path: Path) -> IO[str]:
    if str(path) == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="strict")
    return open(path, encoding="utf-8", errors="strict")


def _optional_str(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return None if value is None else str(value)


def read_jsonl(path: Path, fields: Fields = Fields()) -> Iterator[Document | BadRecord]:
    """Records of a JSONL file (gzip too; ``-`` is stdin), one per line; blank lines are passed over.

    A record without an id field gets ``<file stem>:<line number>`` as its id.
    """
    label = "<stdin>" if str(path) == "-" else str(path)
    stem = "stdin" if str(path) == "-" else doc_id_for(Path(path.name.removesuffix(".gz")))
    lineno = 0
    try:
        handle = _open_jsonl(path)
    except OSError as exc:
        yield BadRecord(stem, label, f"unreadable: {exc}")
        return
    with handle:
        while True:
            try:
                line = handle.readline()
            except (UnicodeDecodeError, OSError, EOFError, gzip.BadGzipFile) as exc:
                # The rest of the stream cannot be trusted once decoding or decompression fails.
                yield BadRecord(f"{stem}:{lineno + 1}", f"{label}:{lineno + 1}",
                                f"unreadable from here on ({exc.__class__.__name__}: {exc}); rest of file skipped")
                return
            if not line:
                return
            lineno += 1
            if not line.strip():
                continue
            where = f"{label}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRecord(f"{stem}:{lineno}", where, f"invalid JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                yield BadRecord(f"{stem}:{lineno}", where, "record is not a JSON object")
                continue
            raw_id = record.get(fields.id)
            doc_id = f"{stem}:{lineno}" if raw_id is None else str(raw_id)
            text = record.get(fields.text)
            if not isinstance(text, str):
                what = "missing" if text is None else f"not a string ({type(text).__name__})"
                yield BadRecord(doc_id, where, f"text field {fields.text!r} is {what}")
                continue
            yield Document(
                id=doc_id,
                text=text,
                url=_optional_str(record, fields.url),
                source=_optional_str(record, fields.source),
                date=_optional_str(record, fields.date),
                meta={"source_file": where},
            )


def read_inputs(
    paths: Iterable[str | Path], fields: Fields = Fields(), encoding: str | None = None
) -> Iterator[Document | BadRecord]:
    """Every document of the given files and folders, in order; unusable ones as :class:`BadRecord`."""
    for item in iter_input_files(paths):
        if isinstance(item, BadRecord):
            yield item
        elif str(item) == "-" or _is_jsonl(item):
            yield from read_jsonl(item, fields)
        else:
            yield read_text_file(item, encoding)
