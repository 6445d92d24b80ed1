from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dedup.document import Document
from dedup.errors import InputError
from dedup.io import BadRecord, Fields, decode_bytes, read_inputs


def test_text_and_html_files_get_their_stem_as_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>hi</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs = list(read_inputs([tmp_path]))
    assert [d.id for d in docs] == ["a", "b"]
    assert all(isinstance(d, Document) for d in docs)


def test_binary_and_missing_inputs_are_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02abc")
    items = list(read_inputs([tmp_path / "bin.txt", tmp_path / "nope.txt"]))
    assert [type(i) for i in items] == [BadRecord, BadRecord]
    assert "binary" in items[0].reason and items[0].id == "bin"
    assert "no such file" in items[1].reason and "nope.txt" in items[1].source


def test_decoding_falls_back_to_declared_charset_then_cp1252() -> None:
    assert decode_bytes("café".encode(), "x") == "café"
    page = '<meta charset="koi8-r"><p>'.encode("ascii") + "привет".encode("koi8-r")
    assert decode_bytes(page, "x").endswith("привет")
    assert decode_bytes("naïve – dash".encode("cp1252"), "x") == "naïve – dash"
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"ab\x00cd", "x")


def test_jsonl_fields_gzip_and_bad_records(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl.gz"
    lines = [
        json.dumps({"doc": "x1", "body": "first", "date": "2024-01-02", "source": "wire"}),
        "{not json",
        json.dumps({"doc": "x3", "body": 42}),
        "",
        json.dumps({"body": "no id"}),
        json.dumps(["a list"]),
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    items = list(read_inputs([path], Fields(id="doc", text="body")))
    assert len(items) == 5
    first = items[0]
    assert isinstance(first, Document) and first.id == "x1" and first.date == "2024-01-02"
    assert first.source == "wire"
    assert isinstance(items[1], BadRecord) and "invalid JSON" in items[1].reason and items[1].source.endswith(":2")
    assert isinstance(items[2], BadRecord) and items[2].id == "x3" and "not a string" in items[2].reason
    assert isinstance(items[3], Document) and items[3].id == "docs:5"
    assert isinstance(items[4], BadRecord) and "not a JSON object" in items[4].reason


def test_corrupt_gzip_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "a", "text": "t"}\n' * 50)[:40])
    items = list(read_inputs([path]))
    assert items and isinstance(items[-1], BadRecord) and "unreadable" in items[-1].reason
