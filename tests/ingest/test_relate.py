"""The relation grammar, one test per kind of rule: each asserts the relationship's type, its ends
and how it was read (`basis`, decisions.md D4). Every sentence is written for these tests."""

from __future__ import annotations

import gc

from ingest_helpers import extract_text, rel_keys

HEAD = "Den Haag, 1 juni 2030\n\n"
SIGNATURE = "\n\nDe Minister van Infrastructuur en Waterstaat,\n\nA.B. Voorbeeld\n"
KAMERSTUK_HEAD = (
    "30 123 Vitale kusten\n\nNr. 4 BRIEF VAN DE MINISTER VAN INFRASTRUCTUUR EN WATERSTAAT\n\n"
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 1 juni 2030\n\n"
)


def bases(graph, rtype: str, start: str, end: str) -> set[str]:
    """The bases of the evidence of one relationship (it must exist)."""
    [rel] = [r for r in graph.relationships if (r.type, r.start, r.end) == (rtype, start, end)]
    return {e.basis for e in rel.evidence}


def node_named(graph, name: str) -> str:
    [node] = [n for n in graph.nodes if n.name == name or name in n.aliases]
    return node.id


# -- what a name states ------------------------------------------------------------------------
def test_regio_deal_x_is_a_programme_of_the_regio_deals_covering_the_region_its_name_gives():
    g = extract_text(HEAD + "Met de Regio Deal Oosthoek en de Regio Deal Achterhoek werken we samen.")
    oosthoek, achterhoek = "programme:regio-deal-oosthoek", "programme:regio-deal-achterhoek"
    covers, part_of = rel_keys(g, "COVERS"), rel_keys(g, "PART_OF")
    assert {(oosthoek, "region:oosthoek"), (achterhoek, node_named(g, "Achterhoek"))} <= covers
    assert {(oosthoek, "programme:regio-deals"), (achterhoek, "programme:regio-deals")} <= part_of
    assert bases(g, "COVERS", oosthoek, "region:oosthoek") == {"stated"}
    assert g.node_index()[oosthoek].name == "Regio Deal Oosthoek"


def test_nationaal_programma_with_a_place_name_covers_that_place():
    g = extract_text(
        HEAD + "Het Nationaal Programma Zeeland loopt tot 2040. Het Nationaal Programma Schone Zee ook.\n"
    )
    zeeland = node_named(g, "Zeeland")
    assert ("programme:nationaal-programma-zeeland", zeeland) in rel_keys(g, "COVERS")
    assert not any(s == "programme:nationaal-programma-schone-zee" for s, _ in rel_keys(g, "COVERS"))


def test_novex_gebied_is_a_region_novex_covers_and_part_of_the_region_it_names():
    g = extract_text(HEAD + "In het NOVEX-gebied Zuid-Limburg en het NOVEX-gebied Kustzone werken we samen.")
    area = "region:novex-gebied-zuid-limburg"
    assert "Region" in g.node_index()[area].labels and "Programme" not in g.node_index()[area].labels
    other = "region:novex-gebied-kustzone"
    assert {("programme:novex", area), ("programme:novex", other)} <= rel_keys(g, "COVERS")
    assert (area, node_named(g, "Zuid-Limburg")) in rel_keys(g, "PART_OF")
    assert bases(g, "COVERS", "programme:novex", area) == {"stated"}


def test_an_agenda_is_one_node_whatever_its_spelling_and_partners_with_its_state():
    g = extract_text(
        HEAD + "De Kustagenda met Vlaanderen is vernieuwd. In de Kustagenda Vlaanderen staan tien acties. "
        "De Kustagenda loopt tot 2030.\n"
    )
    agendas = {n.id for n in g.nodes if "Programme" in n.labels and "agenda" in n.id}
    assert agendas == {"programme:kustagenda-vlaanderen"}
    assert ("programme:kustagenda-vlaanderen", "neighbouringstate:vlaanderen") in rel_keys(g, "PARTNERS_WITH")


def test_a_dossier_title_aanpak_x_is_no_programme_x():
    g = extract_text(
        "30 123 Aanpak Dorpen\n\nNr. 4 BRIEF VAN DE MINISTER VAN INFRASTRUCTUUR EN WATERSTAAT\n\n"
        "Den Haag, 1 juni 2030\n\nDe leefbaarheid van dorpen staat onder druk.\n"
    )
    assert not [n.id for n in g.nodes if "Programme" in n.labels]


# -- coverage ---------------------------------------------------------------------------------
def test_a_programme_aims_at_one_region():
    g = extract_text(HEAD + "Het programma Vitale Kust richt zich op de regio Oosthoek.\n")
    assert rel_keys(g, "COVERS") == {("programme:vitale-kust", "region:oosthoek")}
    assert bases(g, "COVERS", "programme:vitale-kust", "region:oosthoek") == {"stated"}


def test_an_enumeration_with_one_unknown_region_names_two_regions():
    g = extract_text(HEAD + "Het programma Vitale Kust richt zich op Walcheren en de Oosthoek.\n")
    assert rel_keys(g, "COVERS") == {
        ("programme:vitale-kust", node_named(g, "Walcheren")),
        ("programme:vitale-kust", "region:oosthoek"),
    }


def test_the_programme_an_anaphor_stands_for_covers_the_regions_basis_coreference():
    g = extract_text(
        HEAD + "Het kabinet start het Nationaal Programma Sterke Kusten.\n\n"
        "Dit betekent dat het programma zich richt op: de Kop van Noord-Holland, Walcheren en Texel.\n"
    )
    npsk = "programme:nationaal-programma-sterke-kusten"
    kop = node_named(g, "Kop van Noord-Holland")
    assert (npsk, kop) in rel_keys(g, "COVERS")
    assert bases(g, "COVERS", npsk, kop) == {"coreference"}


def test_funds_for_regions_of_the_one_programme_of_the_paragraph_basis_context():
    g = extract_text(
        HEAD + "Het programma Sterke Dorpen is in 2029 gestart. Dit jaar zijn de middelen ten behoeve van "
        "Walcheren en Texel.\n"
    )
    fonds = node_named(g, "Sterke Dorpen")
    walcheren = node_named(g, "Walcheren")
    assert (fonds, walcheren) in rel_keys(g, "COVERS")
    assert bases(g, "COVERS", fonds, walcheren) == {"context"}


def test_no_fallback_where_the_paragraph_names_two_programmes():
    g = extract_text(
        HEAD + "Het programma Vitale Kust en het programma Sterke Dorpen lopen. De middelen zijn ten "
        "behoeve van Walcheren en Texel.\n"
    )
    assert rel_keys(g, "COVERS") == set()


def test_a_table_row_of_regions_project_and_amount_basis_structure():
    table = "Eiland\n\nProject\n\nBedrag\n\nBonaire, Saba\n\nSchone Stranden\n\n4,5\n\nTotaal\n\n4,5\n"
    g = extract_text(HEAD + table)
    project = "programme:schone-stranden"
    assert {(project, node_named(g, "Bonaire")), (project, node_named(g, "Saba"))} <= rel_keys(g, "COVERS")
    assert bases(g, "COVERS", project, node_named(g, "Saba")) == {"structure"}


# -- coordination and participation -------------------------------------------------------------
def test_under_responsibility_of_a_ministry_coordinates():
    g = extract_text(
        HEAD + "Het programma Vitale Kust wordt uitgevoerd onder verantwoordelijkheid van de minister "
        "van IenW.\n"
    )
    assert rel_keys(g, "COORDINATES") == {("ministry:ienw", "programme:vitale-kust")}
    assert bases(g, "COORDINATES", "ministry:ienw", "programme:vitale-kust") == {"stated"}


def test_passive_drawn_by_a_ministry_coordinates():
    g = extract_text(HEAD + "Het programma Vitale Kust wordt getrokken door het ministerie van VWS.\n")
    assert rel_keys(g, "COORDINATES") == {("ministry:vws", "programme:vitale-kust")}


def test_as_minister_i_take_on_the_coordination():
    g = extract_text(
        HEAD + "In het kabinet neem ik als minister van BZK de coördinatie van het programma Vitale Kust "
        "op me, in overleg met de minister van OCW.\n"
    )
    assert rel_keys(g, "COORDINATES") == {("ministry:bzk", "programme:vitale-kust")}


def test_never_the_nearest_of_several_ministries():
    g = extract_text(
        HEAD + "Het programma Vitale Kust loopt.\n\nDe ministers van OCW en VWS spraken met de regio over de "
        "coördinatie van het programma Vitale Kust.\n"
    )
    assert rel_keys(g, "COORDINATES") == set()


def test_key_role_for_some_and_coordinating_responsibility_for_one():
    g = extract_text(
        HEAD + "Het programma Vitale Kust start in 2031.\n\nDaarbij vervullen de bewindspersonen van OCW en "
        "LVVN hierin een kernrol, samen met een coördinerende verantwoordelijkheid voor BZK.\n"
    )
    prog = "programme:vitale-kust"
    assert rel_keys(g, "COORDINATES") == {("ministry:bzk", prog)}
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:ocw", prog), ("ministry:lvvn", prog)}
    assert bases(g, "PARTICIPATES_IN", "ministry:ocw", prog) == {"coreference"}


def test_the_sending_minister_presents_and_co_senders_participate():
    g = extract_text(
        KAMERSTUK_HEAD + "Hierbij bied ik u, mede namens de Minister van Onderwijs, Cultuur en Wetenschap "
        "en de Staatssecretaris van Financiën, de Regio Deal Oosthoek aan.\n"
    )
    deal = "programme:regio-deal-oosthoek"
    assert rel_keys(g, "COORDINATES") == {("ministry:ienw", deal)}
    assert bases(g, "COORDINATES", "ministry:ienw", deal) == {"structure"}
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:ocw", deal), ("ministry:fin", deal)}
    assert bases(g, "PARTICIPATES_IN", "ministry:ocw", deal) == {"stated"}


def test_a_minister_named_in_the_third_person_is_no_sender():
    g = extract_text(
        "Mede namens de minister van Financiën biedt minister Jansen de Regio Deal Oosthoek aan.\n"
    )
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:fin", "programme:regio-deal-oosthoek")}
    assert rel_keys(g, "COORDINATES") == set()
    assert "person:jansen" in g.node_index()


def test_a_report_without_a_programme_is_on_the_letters_programme_basis_context():
    g = extract_text(
        KAMERSTUK_HEAD + "Het programma Vitale Kust loopt sinds 2028. Het programma Vitale Kust heeft veel "
        "bereikt.\n\nDeze voortgangsrapportage bied ik u aan mede namens de Minister van Financiën.\n\n"
        "Het programma Vitale Kust wordt in 2032 geëvalueerd.\n"
    )
    prog = "programme:vitale-kust"
    assert ("ministry:fin", prog) in rel_keys(g, "PARTICIPATES_IN")
    assert bases(g, "PARTICIPATES_IN", "ministry:fin", prog) == {"context"}
    assert ("ministry:ienw", prog) in rel_keys(g, "COORDINATES")


def test_working_together_with_ministries_on_a_strategy():
    g = extract_text(
        HEAD + "Op basis van afspraken werken Saba en Bonaire samen met het Ministerie van Financiën aan een "
        "economische groeistrategie.\n"
    )
    strategy = "programme:economische-groeistrategie"
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:fin", strategy)}
    assert {(strategy, node_named(g, "Saba")), (strategy, node_named(g, "Bonaire"))} <= rel_keys(g, "COVERS")


def test_a_lower_case_programme_nothing_relates_is_no_entity():
    g = extract_text(HEAD + "We werken met een nieuwe arbeidsmarktstrategie.\n")
    assert not [n for n in g.nodes if "Programme" in n.labels]


def test_ministries_commit_to_the_one_programme_of_the_paragraph():
    g = extract_text(
        HEAD + "Het programma Vitale Kust start dit jaar. De ministeries van BZK en IenW committeren zich "
        "aan de plannen.\n\nDe ministeries van OCW en VWS committeren zich ook.\n"
    )
    prog = "programme:vitale-kust"
    assert rel_keys(g, "PARTICIPATES_IN") == {("ministry:bzk", prog), ("ministry:ienw", prog)}
    assert bases(g, "PARTICIPATES_IN", "ministry:bzk", prog) == {"context"}


def test_ministries_commit_to_the_plans_of_the_programme_that_last_opened_a_sentence():
    def letter(opening: str):
        return extract_text(
            HEAD + opening + " Het kent twee doelen: veilige dijken en levendige dorpen.\n\n"
            "Waar het kan sluiten de plannen aan bij lopende trajecten, zoals de Regio Deals en NOVEX.\n\n"
            "De ministeries van BZK, SZW en IenW committeren zich allen aan de plannen voor de kustregio's.\n"
        )

    g = letter("Het programma Vitale Kust begint dit jaar.")
    prog = "programme:vitale-kust"
    ministries = {"ministry:bzk", "ministry:szw", "ministry:ienw"}
    assert rel_keys(g, "PARTICIPATES_IN") == {(m, prog) for m in ministries}
    assert bases(g, "PARTICIPATES_IN", "ministry:szw", prog) == {"context"}
    # a programme named further on in a sentence is not what the text goes on about
    assert not rel_keys(letter("Dit jaar begint het programma Vitale Kust."), "PARTICIPATES_IN")


def test_a_letter_leaves_no_reference_cycles_behind():
    """A letter's objects are freed when it is done, not by the cyclic collector later: memory
    stays flat over a stream of letters."""
    text = (
        HEAD
        + "Het programma Vitale Kust begint. De ministeries van BZK en SZW committeren zich aan de plannen."
    )
    extract_text(text)
    gc.collect()
    gc.disable()
    try:
        extract_text(text)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_ministry_acts_with_its_programme():
    g = extract_text(
        HEAD + "Met het programma Jeugd Veilig zet het ministerie van JenV in op preventie. Het ministerie "
        "van IenW heeft met het Nationaal Plan Windkracht een plan opgesteld.\n"
    )
    assert {
        ("ministry:jenv", "programme:jeugd-veilig"),
        ("ministry:ienw", "programme:nationaal-plan-windkracht"),
    } <= rel_keys(g, "COORDINATES")


# -- motions, partners, overlaps, succession -----------------------------------------------------
def test_each_motion_of_an_enumeration_is_submitted_by_its_members():
    g = extract_text(
        HEAD + "Ook geef ik invulling aan de moties van de leden Jansen en De Vries en van het lid Pietersen "
        "c.s. en aan de motie-Bakker/Smit.\n"
    )
    submitted = rel_keys(g, "SUBMITTED")
    assert submitted == {
        ("person:jansen", "motion:jansen-de-vries-2030-06-01"),
        ("person:de-vries", "motion:jansen-de-vries-2030-06-01"),
        ("person:pietersen", "motion:pietersen-cs-2030-06-01"),
        ("person:bakker", "motion:bakker-smit-2030-06-01"),
        ("person:smit", "motion:bakker-smit-2030-06-01"),
    }
    assert g.node_index()["motion:pietersen-cs-2030-06-01"].name == "motie Pietersen c.s."
    assert bases(g, "SUBMITTED", "person:jansen", "motion:jansen-de-vries-2030-06-01") == {"stated"}


def test_cross_border_cooperation_partners_and_programmes_overlap_and_succeed():
    g = extract_text(
        HEAD + "Met het programma Vitale Kust versterken we de samenwerking met Vlaanderen en Nedersaksen. "
        "Het kabinet werkt aan samenhang tussen het programma Vitale Kust en de Regio Deals. "
        "Het bestaande programma Kustpact gaat op in het programma Vitale Kust.\n"
    )
    prog = "programme:vitale-kust"
    assert rel_keys(g, "PARTNERS_WITH") == {
        (prog, "neighbouringstate:vlaanderen"),
        (prog, "neighbouringstate:nedersaksen"),
    }
    assert {frozenset(k) for k in rel_keys(g, "OVERLAPS")} == {frozenset((prog, "programme:regio-deals"))}
    assert rel_keys(g, "SUCCEEDED_BY") == {("programme:kustpact", prog)}
    assert bases(g, "PARTNERS_WITH", prog, "neighbouringstate:vlaanderen") == {"stated"}


# -- the letter's structure ---------------------------------------------------------------------
def test_signatory_signs_and_holds_office_basis_structure():
    g = extract_text(HEAD + "Het programma Vitale Kust loopt." + SIGNATURE)
    [letter] = g.letter_ids()
    assert rel_keys(g, "SIGNED_BY") == {(letter, "person:ab-voorbeeld")}
    assert rel_keys(g, "HOLDS_OFFICE") == {("person:ab-voorbeeld", "ministry:ienw")}
    assert bases(g, "HOLDS_OFFICE", "person:ab-voorbeeld", "ministry:ienw") == {"structure"}


def test_a_person_named_with_and_without_initials_in_one_letter_is_one_node():
    g = extract_text(
        HEAD + "Minister Voorbeeld opende de haven. Daarna sprak minister Voorbeeld met de gedeputeerde. "
        "De motie van het lid Voorbeeld vraagt om een kade." + SIGNATURE
    )
    people = [n for n in g.nodes if n.label == "Person"]
    assert [n.id for n in people] == ["person:ab-voorbeeld"]
    [person] = people
    assert person.name == "A.B. Voorbeeld" and "Voorbeeld" in person.aliases
    [letter] = g.letter_ids()
    [mentions] = [r for r in g.relationships if (r.type, r.end) == ("MENTIONS", "person:ab-voorbeeld")]
    assert mentions.start == letter and mentions.properties["count"] == 2
    assert [e.start for e in mentions.evidence] == sorted(e.start for e in mentions.evidence)
    assert {b for a, b in rel_keys(g, "SIGNED_BY")} == {"person:ab-voorbeeld"}
    assert {a for a, b in rel_keys(g, "SUBMITTED")} == {"person:ab-voorbeeld"}


def test_two_people_with_one_surname_and_different_initials_stay_apart():
    g = extract_text(
        HEAD + "Het advies van C.D. Voorbeeld, minister van Financiën, is gevolgd. Minister Voorbeeld "
        "sprak erover." + SIGNATURE
    )
    ids = {n.id for n in g.nodes if n.label == "Person"}
    assert ids == {"person:ab-voorbeeld", "person:cd-voorbeeld", "person:voorbeeld"}


def test_the_letter_mentions_an_entity_with_the_sentence_of_every_occurrence():
    first = "Het programma Vitale Kust start in Oosthoek."
    second = "Vitale Kust en nogmaals Vitale Kust: de kust blijft vitaal."
    text = HEAD + first + " Daarna volgt een pauze. " + second + SIGNATURE
    g = extract_text(text)
    [letter] = g.letter_ids()
    [rel] = [r for r in g.relationships if r.key == ("MENTIONS", letter, "programme:vitale-kust")]
    assert rel.properties["count"] == 3
    assert [e.quote for e in rel.evidence] == [first, second]
    for e in rel.evidence:
        assert text[e.start : e.end] == e.quote and (e.rule, e.basis) == ("mention", "structure")


def test_every_relationship_read_from_text_quotes_it_and_says_how_it_was_read():
    text = (
        KAMERSTUK_HEAD + "Hierbij bied ik u, mede namens de Minister van Financiën, de Regio Deal Oosthoek "
        "aan. Het programma Vitale Kust richt zich op de regio Oosthoek." + SIGNATURE
    )
    g = extract_text(text)
    read = [(r, e) for r in g.relationships for e in r.evidence]
    assert read
    for rel, ev in read:
        assert text[ev.start : ev.end] == ev.quote and ev.rule, rel.key
        assert ev.basis in {"stated", "coreference", "context", "structure"}, (rel.key, ev.basis)


def test_a_motion_cited_with_its_number_is_published_as_that_kamerstuk():
    cited = "De Kamer nam de motie van het lid Jansen (Kamerstuk 31 234, nr. 56) aan over steun aan Twente."
    assert rel_keys(extract_text(cited), "PUBLISHED_AS") == {("motion:kst-31234-56", "document:31234-56")}
    bare = extract_text("De Kamer nam de motie van het lid Jansen aan over Twente.")
    assert rel_keys(bare, "SUBMITTED") and rel_keys(bare, "PUBLISHED_AS") == set()


def test_people_carry_their_role_and_party():
    g = extract_text(
        "Den Haag, 3 maart 2025\n\nHet lid Bakker (VVD) vroeg naar de regio Twente.\n\n"
        "De minister van Binnenlandse Zaken en Koninkrijksrelaties,\n\nA.B. Jansen\n"
    )
    people = {n.id: n.properties for n in g.nodes if "Person" in n.labels}
    assert people["person:bakker"]["role"] == "Kamerlid" and people["person:bakker"]["party"] == "VVD"
    assert people["person:ab-jansen"]["role"] == "minister" and "party" not in people["person:ab-jansen"]
