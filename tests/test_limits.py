"""Issue 14, PDF bombs and oversized inputs: each ends with one line naming the file and the limit,
quickly and within bounded memory, and the limits can be raised.

The bombs are built here as raw PDF bytes: a 10 KB PDF whose one page draws five million glyphs, and
a few-KB PDF whose content stream, compressed twice, inflates to a gigabyte. Each is read by
``pipeline run`` in a child process whose peak memory (``ru_maxrss``) and time are measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from pipeline.core.source import IngestError
from pipeline.readers import read_source
from pipeline.readers.limits import ENV, LimitError, Limits, parse_limits, parse_size

from .conftest import ROOT

MAX_SECONDS = 30
MAX_RSS_BYTES = 10**9


def make_pdf(contents: list[bytes], encoded: list[tuple[bytes, int]] | None = None) -> bytes:
    """A PDF with one page per content stream (Helvetica text), each Flate-compressed once; or, with
    ``encoded``, one page per (stream bytes, how many Flate filters they are already compressed with)."""
    streams = encoded if encoded is not None else [(zlib.compress(c, 9), 1) for c in contents]
    n = len(streams)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    font = 3 + 2 * n
    for i, (data, filters) in enumerate(streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        names = " ".join(["/FlateDecode"] * filters)
        objects.append(f"<< /Length {len(data)} /Filter [{names}] >>\nstream\n".encode() + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


GLYPHS = 5_000_000


def glyph_bomb() -> bytes:
    """One page drawing five million glyphs, about 10 KB on disk."""
    return make_pdf([b"BT /F1 1 Tf 10 10 Td (" + b"A" * GLYPHS + b") Tj ET"])


def stream_bomb(size: int = 10**9) -> bytes:
    """One page whose content stream (a line of text, then blanks) inflates to ``size`` bytes,
    compressed twice so the file stays a few kilobytes; built a megabyte at a time."""
    once = zlib.compressobj(9)
    parts = [once.compress(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n")]
    block = b" " * 10**6
    for _ in range(size // len(block)):
        parts.append(once.compress(block))
    parts.append(once.flush())
    return make_pdf([], encoded=[(zlib.compress(b"".join(parts), 9), 2)])


RUN_MEASURED = """
import json, resource, sys, time
from pipeline.cli import main
t0 = time.perf_counter()
code = main(["run", sys.argv[1], "--out", sys.argv[2], "--quiet"])
print(json.dumps({"code": code, "seconds": time.perf_counter() - t0,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def _run_measured(path: Path, out: Path) -> tuple[dict[str, float], list[str]]:
    proc = subprocess.run([sys.executable, "-c", RUN_MEASURED, str(path), str(out)], capture_output=True,
                          text=True, cwd=ROOT, timeout=MAX_SECONDS * 4)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return report, [ln for ln in proc.stderr.splitlines() if ln.strip()]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "make", "limit"), [("glyphs", glyph_bomb, "glyphs_per_page"),
                                                     ("stream", stream_bomb, "stream_bytes")])
def test_pdf_bomb_ends_with_one_line_quickly_in_bounded_memory(name: str, make, limit: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}-bomb.pdf"
    path.write_bytes(make())
    assert path.stat().st_size < 20_000
    report, err = _run_measured(path, tmp_path / "out")
    assert report["code"] == 1
    assert len(err) == 1, err
    assert str(path) in err[0] and limit in err[0], err[0]
    assert report["seconds"] < MAX_SECONDS, report
    assert report["rss"] < MAX_RSS_BYTES, report


def test_fixtures_are_what_they_claim() -> None:
    """The bombs really are bombs: millions of glyphs in one stream, a stream that inflates tenfold
    past its compressed size twice over (at 10 MB here; the test above uses 1 GB)."""
    def stream(data: bytes) -> bytes:
        start = data.index(b"stream\n") + len(b"stream\n")
        return data[start : data.index(b"\nendstream")]

    assert zlib.decompress(stream(glyph_bomb())).count(b"A") == GLYPHS
    assert len(zlib.decompress(zlib.decompress(stream(stream_bomb(10**7))))) > 10**7


def test_a_small_pdf_under_lowered_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every PDF limit can be set, and each is named in its error."""
    pages = [b"BT /F1 12 Tf 72 700 Td (Page text here) Tj ET"] * 3
    path = tmp_path / "three.pdf"
    path.write_bytes(make_pdf(pages))
    assert "Page text here" in read_source(path).text
    for spec, name in [("pages=2", "pages"), ("glyphs_per_page=10", "glyphs_per_page"), ("chars=20", "chars"),
                       ("stream_bytes=20", "stream_bytes"), ("input_bytes=100", "input_bytes")]:
        monkeypatch.setenv(ENV, spec)
        with pytest.raises(LimitError) as info:
            read_source(path)
        assert str(path) in str(info.value) and name in str(info.value) and "\n" not in str(info.value)
    monkeypatch.setenv(ENV, "pages=0,glyphs_per_page=0")
    assert "Page text here" in read_source(path).text


def test_text_input_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("平成21年度の予算\n" * 100, encoding="utf-8")
    monkeypatch.setenv(ENV, "chars=500")
    with pytest.raises(LimitError, match="chars"):
        read_source(path)
    monkeypatch.setenv(ENV, "input_bytes=1K")
    with pytest.raises(LimitError, match="input_bytes"):
        read_source(path)
    monkeypatch.setenv(ENV, "nonsense=1")
    with pytest.raises(IngestError, match=ENV):
        read_source(path)


def test_limit_option_of_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.cli import main

    monkeypatch.setenv(ENV, "")  # run sets it for its workers; restored after the test

    path = tmp_path / "doc.txt"
    path.write_text("平成21年度の予算は10億円\n" * 50, encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet", "--limit", "chars=100"]) == 1
    assert "chars" in capsys.readouterr().err
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet", "--limit", "pages=x"]) == 2


def test_parse_limits() -> None:
    assert parse_size("256M") == 256 * 10**6 and parse_size("12") == 12 and parse_size("1_000k") == 10**6
    assert parse_limits("pages=10, chars=2G") == Limits(pages=10, chars=2 * 10**9)
    with pytest.raises(ValueError):
        parse_limits("pages")
    with pytest.raises(ValueError):
        parse_size("ten")
