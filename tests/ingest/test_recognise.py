import pytest
from ingest_helpers import letter_from_text

from ingest.metadata import read_metadata
from ingest.models import Mention
from ingest.normalise import normalise
from ingest.patterns import PatternFileError, load_grammar, load_patterns
from ingest.recognise import first_longest_spans, recognise
from ingest.sentences import split_sentences


def mentions(text: str):
    doc = normalise(letter_from_text(text))
    return recognise(doc.text, split_sentences(doc))


def keys(text: str, label: str) -> set[str]:
    return {m.key for m in mentions(text) if m.label == label}


def test_ministries_by_name_abbreviation_title_and_ocr_slip():
    text = (
        "Het Ministerie van Volksgezondheid, Welzijn en Sport, de minister van EZ, mijn collega van lenW "
        "en het departement van Defensie."
    )
    assert keys(text, "Ministry") == {"ministry:vws", "ministry:ez", "ministry:ienw", "ministry:defensie"}


def test_foreign_minister_president_is_not_the_dutch_one():
    assert keys("De Vlaamse Minister-President en ik.", "Ministry") == set()
    assert keys("Het bezoek van de Minister-President aan Dokkum.", "Ministry") == {"ministry:az"}


def test_unlisted_programmes_are_found_by_pattern():
    text = (
        "Het Nationaal Programma Gezonde Wijken loopt. Met het programma Schone Lucht van het Ministerie "
        "van IenW en de Kustagenda met Vlaanderen. Ook de Groene Deal telt."
    )
    found = keys(text, "Programme")
    assert {
        "programme:nationaal-programma-gezonde-wijken",
        "programme:schone-lucht",
        "programme:kustagenda-vlaanderen",  # one agenda whatever the spelling
        "programme:groene-deals",
    } <= found


def test_abbreviation_definition_makes_an_alias_used_later():
    ms = mentions("Het Nationaal Plan Waterkracht (NPW) start. Later werkt het NPW verder.")
    npw = [m for m in ms if m.key == "programme:nationaal-plan-waterkracht"]
    assert [m.text for m in npw] == ["Nationaal Plan Waterkracht", "NPW", "NPW"]


def test_regions_by_compass_pattern_pairs_and_gazetteer():
    text = (
        "De regio's Noord- en Oost-Groningen, Zuid-Oost Friesland, West-Achterhoek, Twente "
        "en de Kop van Texel."
    )
    found = keys(text, "Region")
    assert {
        "region:noord-en-oost-groningen",
        "region:zuidoost-friesland",  # COROP Zuidoost-Friesland (CR06), decisions D2
        "region:west-achterhoek",
        "region:twente",
        "region:kop-van-texel",
    } <= found


def test_neighbouring_state_inside_a_region_name_is_not_a_state():
    ms = mentions("In Zeeuws-Vlaanderen en met Vlaanderen.")
    assert [(m.label, m.text) for m in ms] == [
        ("Region", "Zeeuws-Vlaanderen"),
        ("NeighbouringState", "Vlaanderen"),
    ]


def test_programme_areas_people_parties_motions_and_documents():
    text = (
        "Het NOVEX-gebied Rivierland. Het lid Jansen (GL/PvdA) vroeg naar de motie-De Boer "
        "(Kamerstuk 36 600 VII, nr. 12) en Kamerlid Pieters naar de motie van laatstgenoemde."
    )
    ms = mentions(text)
    got = {(m.label, m.key) for m in ms}
    assert ("Region", "region:novex-gebied-rivierland") in got
    assert ("Person", "person:jansen") in got and ("Party", "party:groenlinks-pvda") in got
    assert ("Motion", "motion:kst-36600-VII-12") in got  # its own Kamerstuk number (decisions D7)
    assert ("Document", "document:36600-VII-12") in got
    assert ("Person", "person:pieters") in got


# -- programme families ------------------------------------------------------------------------
def test_regio_deal_x_is_its_own_programme_of_the_regio_deals_with_the_region_its_name_gives():
    [deal] = [m for m in mentions("De Regio Deal Oosthoek is getekend.") if m.label == "Programme"]
    assert (deal.key, deal.name, deal.family) == (
        "programme:regio-deal-oosthoek",
        "Regio Deal Oosthoek",
        "programme:regio-deals",
    )
    assert deal.region is not None and deal.region.key == "region:oosthoek"


def test_a_themed_regio_deal_covers_the_region_that_ends_its_name():
    [deal] = [
        m
        for m in mentions("De Regio Deal Duurzame visserij Noord-Nederland loopt.")
        if m.label == "Programme"
    ]
    assert deal.key == "programme:regio-deal-duurzame-visserij-noord-nederland"
    assert deal.region is not None and deal.region.name == "Noord-Nederland"


def test_novex_gebied_is_a_region_covered_by_novex():
    [area] = [m for m in mentions("Het NOVEX-gebied Kustzone Noord.") if m.label == "Region"]
    assert (area.key, area.name, area.covered_by) == (
        "region:novex-gebied-kustzone-noord",
        "NOVEX-gebied Kustzone Noord",
        "NOVEX",
    )


def test_agenda_spellings_are_one_key():
    text = "De Grensagenda, de Grensagenda Nedersaksen en de Grensagenda met Nedersaksen."
    assert keys(text, "Programme") == {"programme:grensagenda-nedersaksen"}


def test_aanpak_x_in_a_dossier_title_is_no_programme_but_in_running_text_it_is():
    title = "30 123 Aanpak Dorpen\n\nNr. 4 BRIEF VAN DE MINISTER VAN FINANCIËN\n\n"
    doc = normalise(letter_from_text(title + "De aanpak Sterke Dorpen loopt.\n"))
    meta = read_metadata(doc)
    found = {m.key for m in recognise(doc.text, split_sentences(doc), meta=meta) if m.label == "Programme"}
    assert found == {"programme:sterke-dorpen"}


def test_two_programmes_sharing_one_head():
    found = keys("De Culturele en Sociale Agenda's zijn klaar.", "Programme")
    assert found == {"programme:culturele-agenda", "programme:sociale-agenda"}


def test_a_lower_case_programme_is_tentative():
    [m] = [
        m for m in mentions("Het kabinet werkt aan een economische groeistrategie.") if m.label == "Programme"
    ]
    assert (m.key, m.tentative) == ("programme:economische-groeistrategie", True)


# -- bodies and people -----------------------------------------------------------------------------
def test_named_bodies_coordinators_and_committees():
    text = (
        "Het Adviescollege Veiligheid Noord (hierna: AVN) adviseerde, net als het Waterschap Zuiderzand en "
        "de Nationaal Coördinator Kustherstel. Dit bleek in de vaste commissie voor Binnenlandse Zaken en "
        "later in de commissie Binnenlandse Zaken. Het AVN is onafhankelijk."
    )
    ms = [m for m in mentions(text) if m.label == "Organisation"]
    assert {m.key for m in ms} == {
        "organisation:adviescollege-veiligheid-noord",
        "organisation:waterschap-zuiderzand",
        "organisation:nationaal-coordinator-kustherstel",
        "organisation:commissie-binnenlandse-zaken",
    }
    named = [m.text for m in ms if m.key.endswith("veiligheid-noord")]
    assert named == ["Adviescollege Veiligheid Noord", "AVN", "AVN"]  # defined in brackets, then used


def test_office_holders_and_initials_before_an_office():
    text = (
        "Minister Jansen sprak met speciaal adviseur Piet Bakker en Europaminister Schmidt-Weber. Adviseur "
        "Bakker rapporteert. Indiener: K.L. Mertens, minister van Financiën. De minister van Financiën."
    )
    people = [(m.key, m.text) for m in mentions(text) if m.label == "Person"]
    assert people == [
        ("person:jansen", "Jansen"),
        ("person:bakker", "Piet Bakker"),
        ("person:schmidt-weber", "Schmidt-Weber"),
        ("person:bakker", "Bakker"),
        ("person:kl-mertens", "K.L. Mertens"),
    ]


def test_an_adjective_names_a_neighbouring_state():
    assert keys("De Vlaamse minister en het Nederlands-Vlaamse grensgebied.", "NeighbouringState") == {
        "neighbouringstate:vlaanderen"
    }


def test_a_table_cell_between_regions_and_an_amount_is_a_programme():
    text = "Eiland\n\nProject\n\nBedrag\n\nBonaire, Saba\n\nSchone Stranden\n\n4,5\n"
    assert keys(text, "Programme") == {"programme:schone-stranden"}


# -- the overlap policy and the pattern files ----------------------------------------------------
def test_overlap_policy_keeps_the_longest_then_the_vocabulary_then_the_rule_order():
    a = Mention("Region", 0, 10, "x" * 10, "region:a", "compass")
    b = Mention("Region", 5, 20, "x" * 15, "region:b", "regio-x")
    c = Mention("Region", 5, 20, "x" * 15, "region:c", "gazetteer")
    d = Mention("Region", 21, 25, "x" * 4, "region:d", "compass")
    assert [m.key for m in first_longest_spans([a, b, c, d])] == ["region:c", "region:d"]


def _write(tmp_path, text: str):
    path = tmp_path / "patterns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pattern_files_are_checked_and_errors_name_the_file_and_entry(tmp_path):
    good = "lists: {w: [a]}\nfragments: {f: 'x'}\nrules:\n"
    cases = {
        "  - {label: Programme, id: r1, pattern: '{f}', anchor: x, colour: red}\n": (
            "rules[0] (r1)",
            "colour",
        ),
        "  - {label: Programme, id: r2, pattern: '{nope}', anchor: x}\n": (
            "rules[0] (r2)",
            "unknown fragment",
        ),
        "  - {label: Programme, id: r3, pattern: '(unclosed', anchor: x}\n": (
            "rules[0] (r3)",
            "does not compile",
        ),
        "  - {label: Programme, id: r4, pattern: 'x', anchor: x, handler: person}\n": (
            "rules[0] (r4)",
            "name",
        ),
        "  - {label: Planet, id: r5, pattern: 'x', anchor: x}\n": ("rules[0] (r5)", "label"),
    }
    for rule, (entry, problem) in cases.items():
        path = _write(tmp_path, good + rule)
        with pytest.raises(PatternFileError) as err:
            load_patterns(path)
        assert str(path) in str(err.value) and entry in str(err.value) and problem in str(err.value), (
            err.value
        )


def test_grammar_rules_name_their_ends(tmp_path):
    path = tmp_path / "relations.yaml"
    path.write_text(
        "titled_ministry: 'minister'\nanaphors: {nominal: 'x', elaboration: 'y', adverbial: 'z'}\nrules:\n"
        "  - {id: g1, type: COVERS, pattern: '(?P<regions>{region})', subject: programme, object: places}\n",
        encoding="utf-8",
    )
    with pytest.raises(PatternFileError, match=r"rules\[0\] \(g1\).*object 'places'"):
        load_grammar(path)


def test_the_shipped_pattern_files_load():
    assert load_patterns().rules and load_grammar().rules
