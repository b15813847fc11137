"""The format readers: real Kamerstuk XML of both dialects (../shared/data/koop), and PDF, DOCX,
HTML and text written for the test."""

from __future__ import annotations

import shutil
from pathlib import Path

import docbuilders as build
import pytest
from lxml import etree

from ingest.errors import LetterError
from ingest.formats import sniff_format
from ingest.formats.structure import parse_kst
from ingest.load import expand_paths, load_letter, read_letter_bytes
from ingest.pipeline import extract_file, extract_raw

KOOP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "koop"
DATA = Path(__file__).parent / "data"
KST_FILES = sorted(KOOP.glob("kst_*.xml"))


def _expected(path: Path) -> dict:
    """What the file states, read with plain lxml: dossier, number, signatures, cited Kamerstukken."""
    root = etree.parse(str(path)).getroot()
    nr = root.findtext(".//ondernummer") or root.findtext(".//body/stuk/nummer")
    signs = root.findall(".//ondertekening") + root.findall(".//ondtek")
    cited = {parse_kst(e.get("doc")) for e in root.iter("extref") if parse_kst(e.get("doc", ""))}
    for e in root.iter("extref"):  # a link to a publication names it too
        doc = e.get("doc", "")
        if "officielebekendmakingen.nl/kst-" in doc:
            cited.add(parse_kst(doc.rsplit("/", 1)[1].removesuffix(".html")))
    dossier = (root.findtext(".//dossiernr") or root.findtext(".//onderw/nummer")).replace(" ", "")
    chapter = root.findtext(".//begrotingshoofdstuk")
    return {
        "dossier": dossier + (f"-{chapter}" if chapter else ""),
        "nr": nr.strip(),
        "signed": bool(signs),
        "cited": {f"document:{d}-{n}" for d, n in cited},
    }


def test_the_shared_files_are_there():
    assert len(KST_FILES) == 11, f"expected the eleven Kamerstuk XML files in {KOOP}"


@pytest.mark.parametrize("path", KST_FILES, ids=lambda p: p.name)
def test_every_kamerstuk_xml_ingests_with_its_structure(path: Path):
    expected = _expected(path)
    raw = load_letter(path)
    graph = extract_raw(raw)
    letter = next(n for n in graph.nodes if "Letter" in n.labels)
    assert letter.id == f"letter:kst-{expected['dossier']}-{expected['nr']}"
    assert letter.properties["dossiers"][0] == expected["dossier"]
    assert letter.properties["volgnummer"] == expected["nr"]
    assert letter.properties["title"]
    refers = {r.end for r in graph.relationships if r.type == "REFERS_TO"}
    assert expected["cited"] <= refers, "every cited Kamerstuk (extref) is a REFERS_TO with its exact id"
    signed = [r for r in graph.relationships if r.type == "SIGNED_BY"]
    assert bool(signed) == expected["signed"]
    for rel in graph.relationships:
        for e in rel.evidence:
            assert raw.text[e.start : e.end] == e.quote, "evidence offsets point into the rendition"


def test_letter_metadata_from_the_structure():
    raw = load_letter(KOOP / "kst_28844_269.xml")
    s = raw.structure
    assert raw.format == "xml" and s.source == "officiele-publicatie"
    assert s.identifier == "kst-28844-269" and s.ondernummer == "269"
    assert s.dossiers[0].number == "28844"
    assert s.dossiers[0].title == "Integriteitsbeleid openbaar bestuur en politie"
    assert [(x.name, x.office) for x in s.signatories] == [
        ("H.G.J. Bruins Slot", "De Minister van Binnenlandse Zaken en Koninkrijksrelaties")
    ]
    assert {c.target for c in s.citations} >= {"kst-28844-266", "kst-28844-261", "kst-36101-15"}
    graph = extract_raw(raw)
    letter = next(n for n in graph.nodes if "Letter" in n.labels)
    assert letter.properties["date"] == "2023-07-07"  # no metadata.xml: the text's "Den Haag, 7 juli 2023"
    assert letter.properties["kind"] == "Brief regering"
    assert letter.properties["signatories"] == ["H.G.J. Bruins Slot"]
    assert "h-tk-20222023-84-12" in letter.properties["cited_documents"]
    holds = {(r.start, r.end) for r in graph.relationships if r.type == "HOLDS_OFFICE"}
    assert ("person:hgj-bruins-slot", "ministry:bzk") in holds


def test_footnotes_are_kept_with_their_anchor():
    raw = load_letter(KOOP / "kst_28844_269.xml")
    first = raw.structure.footnotes[0]
    assert raw.text[first.start : first.end] == "1 Kamerstuk 28 844, nr. 266."
    assert raw.text[first.anchor - 10 : first.anchor + 1] == "9 mei 2023¹"
    cite = next(c for c in raw.structure.citations if c.target == "kst-28844-266")
    assert cite.footnote == "1" and raw.text[cite.start : cite.end] == "28 844, nr. 266"


def test_the_older_kamerwrk_dialect():
    raw = load_letter(KOOP / "kst_24138_3.xml")
    s = raw.structure
    assert s.source == "kamerwrk" and s.identifier == "kst-24138-3"
    assert [x.name for x in s.signatories] == ["T. Netelenbos", "J. J. van Aartsen"]
    note = s.footnotes[0]
    assert raw.text[note.start : note.end].startswith("1 Ter inzage gelegd")
    assert raw.text[note.anchor] == "¹"


def test_a_budget_chapter_suffix_is_part_of_the_key():
    graph = extract_file(KOOP / "kst_35470_xiv_4.xml")
    assert "letter:kst-35470-XIV-4" in graph.letter_ids()
    assert "document:35300-XIV-67" in {r.end for r in graph.relationships if r.type == "REFERS_TO"}


def test_metadata_xml_beside_the_paper_gives_the_date(tmp_path: Path):
    shutil.copy(KOOP / "kst_28844_269.xml", tmp_path / "kst-28844-269.xml")
    shutil.copy(DATA / "kst-28844-269.metadata_constructed.xml", tmp_path / "kst-28844-269.metadata.xml")
    assert [p.name for p in expand_paths([tmp_path])] == ["kst-28844-269.xml"]
    raw = load_letter(tmp_path / "kst-28844-269.xml")
    assert raw.structure.date == "2023-07-10" and raw.structure.date_source == "DCTERMS.issued"
    letter = next(n for n in extract_raw(raw).nodes if "Letter" in n.labels)
    assert letter.properties["date"] == "2023-07-10"
    assert letter.properties["title"] == "Brief van de minister over de opzet van de evaluaties"


def test_the_same_letter_as_xml_and_as_text_is_one_letter():
    raw = load_letter(KOOP / "kst_28844_269.xml")
    as_text = read_letter_bytes(raw.text.encode(), path="brief.txt", source="brief.txt")
    assert extract_raw(as_text).letter_ids() == extract_raw(raw).letter_ids() == ["letter:kst-28844-269"]


def test_malformed_xml_is_refused(tmp_path: Path):
    f = tmp_path / "kst-1-1.xml"
    f.write_bytes((KOOP / "kst_35786_7.xml").read_bytes()[:1500])
    with pytest.raises(LetterError, match=r"kst-1-1.xml: malformed XML"):
        load_letter(f)


def test_an_xml_that_is_no_kamerstuk_is_refused():
    with pytest.raises(LetterError, match="not a Kamerstuk XML"):
        read_letter_bytes(b"<?xml version='1.0'?><rss><channel/></rss>", "feed.xml", "feed.xml")
    with pytest.raises(LetterError, match="metadata.xml holds no letter text"):
        read_letter_bytes((DATA / "kst-28844-269.metadata_constructed.xml").read_bytes(), "m.xml", "m.xml")


def test_xml_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE k [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<officiele-publicatie><kamerstuk><stuk><al>Tekst &b;&b;&b;</al></stuk></kamerstuk>"
        b"</officiele-publicatie>"
    )
    assert read_letter_bytes(bomb, "b.xml", "b.xml").text == "Tekst\n"


def test_pdf_text_layer(tmp_path: Path):
    f = tmp_path / "brief.pdf"
    f.write_bytes(build.pdf([["Den Haag, 7 juli 2023", "Een zin over de proefregio."], ["Tweede pagina."]]))
    raw = load_letter(f)
    assert raw.format == "pdf" and "Een zin over de proefregio." in raw.text and "Tweede pagina." in raw.text


def test_a_pdf_without_a_text_layer_is_refused(tmp_path: Path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(build.pdf(None))
    with pytest.raises(LetterError, match="scan.pdf: PDF without a text layer"):
        load_letter(f)


def test_a_password_protected_pdf_is_refused(tmp_path: Path):
    f = tmp_path / "geheim.pdf"
    f.write_bytes(build.pdf([["Vertrouwelijk."]], password="s3cret"))
    with pytest.raises(LetterError, match="geheim.pdf: password-protected PDF"):
        load_letter(f)


def test_docx_paragraphs_and_tables(tmp_path: Path):
    f = tmp_path / "brief.docx"
    f.write_bytes(build.docx(["Den Haag, 7 juli 2023", "Een zin over de proefregio."], [["Regio", "Bedrag"]]))
    raw = load_letter(f)
    assert raw.format == "docx"
    assert raw.text == "Den Haag, 7 juli 2023\n\nEen zin over de proefregio.\n\nRegio | Bedrag\n"


def test_a_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path):
    f = tmp_path / "bom.docx"
    f.write_bytes(build.docx_bomb())
    assert f.stat().st_size < 200_000
    with pytest.raises(LetterError, match="bom.docx: refused: .*zip bomb"):
        load_letter(f)


def test_officielebekendmakingen_html_body_and_metadata():
    raw = load_letter(DATA / "ob_page_constructed.html")
    assert "Home" not in raw.text and "Cookies" not in raw.text and "tracking" not in raw.text
    assert "Meer informatie" not in raw.text and "U bent hier" not in raw.text
    assert raw.text.startswith("Tweede Kamer der Staten-Generaal\n\n99 999 Proefdossier voor de lezer")
    assert "Proefregio | € 1 mln" in raw.text
    s = raw.structure
    assert (s.identifier, s.date, s.title) == (
        "kst-99999-12",
        "2023-03-14",
        "Brief van de minister over de proef",
    )
    graph = extract_raw(raw)
    assert graph.letter_ids() == ["letter:kst-99999-12"]
    assert "document:99999-11" in {r.end for r in graph.relationships if r.type == "REFERS_TO"}


def test_tkconv_page_body_and_header():
    raw = load_letter(DATA / "tkconv_page_constructed.html")
    assert raw.text == (
        "Deze brief is geschreven voor de test van de lezer.\n\n"
        "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,\n\nA.B. Proefschrijver\n"
    )
    s = raw.structure
    assert (s.document_number, s.date, s.kind, s.title) == (
        "2023D99999",
        "2023-03-14",
        "Brief regering",
        "Proefbrief voor de lezer",
    )
    letter = next(n for n in extract_raw(raw).nodes if "Letter" in n.labels)
    assert letter.id == "letter:kst-99999-12" and "2023D99999" in letter.aliases


def test_tweedekamer_page_without_chrome():
    raw = load_letter(DATA / "tk_page_constructed.html")
    assert raw.text.startswith("Proefbrief voor de lezer\n\nDeze brief is geschreven")
    assert "cookies" not in raw.text.lower() and "Kamerleden" not in raw.text and "Contact" not in raw.text
    assert raw.structure.source == "html:tweedekamer" and raw.structure.document_number == "2023D99999"


def test_content_type_is_sniffed_from_the_bytes():
    assert sniff_format(build.pdf([["x"]])) == "pdf"
    assert sniff_format(build.docx(["x"])) == "docx"
    assert sniff_format((KOOP / "kst_35786_7.xml").read_bytes()) == "xml"
    assert sniff_format((DATA / "tk_page_constructed.html").read_bytes()) == "html"
    assert sniff_format(b"Den Haag, 7 juli 2023") == "txt"


def test_directories_skip_metadata_and_renditions(tmp_path: Path):
    (tmp_path / "kst-1-2.xml").write_bytes(b"<kamerwrk/>")
    (tmp_path / "kst-1-2.metadata.xml").write_bytes(b"<metadata_gegevens/>")
    (tmp_path / "kst-1-2.xml.txt").write_text("rendition")
    (tmp_path / "brief.txt").write_text("een brief")
    (tmp_path / "brief.pdf").write_bytes(b"%PDF-1.4")
    assert [p.name for p in expand_paths([tmp_path])] == ["brief.pdf", "brief.txt", "kst-1-2.xml"]
