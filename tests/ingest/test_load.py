from pathlib import Path

import pytest

from ingest.errors import LetterError
from ingest.load import expand_paths, load_letter


def test_utf8_letter_is_read_with_its_hash(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("Den Haag, 1 mei 2024\n\nDe regio’s in Fryslân.", encoding="utf-8")
    raw = load_letter(f)
    assert raw.text.endswith("Fryslân.")
    assert raw.encoding == "utf-8" and len(raw.sha256) == 64 and raw.source == "a.txt"


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_legacy_encodings_are_decoded(tmp_path: Path, codec: str):
    f = tmp_path / "old.txt"
    text = "Het Ministerie van Financiën en de provincie Fryslân werken samen in Wallonië en België. " * 3
    f.write_bytes(text.encode(codec))
    assert load_letter(f).text == text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10, "binary"),
        ("letter.odt", b"PK\x03\x04", "unsupported extension"),
        ("letter.pdf", b"%PDF-1.4", "unreadable PDF"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path: Path, name: str, content: bytes, reason: str):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(LetterError) as info:
        load_letter(f)
    assert reason in str(info.value)
    assert name in str(info.value)


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path: Path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(LetterError, match="larger than"):
        load_letter(f)


def test_directories_expand_to_letters_only(tmp_path: Path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "notes.md").write_text("x")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.txt", "b.txt"]
