// name: stacking-regions
// question: Which regions are covered by more than one programme (stacking), by which, and where is it said?
// params: none
MATCH (:Programme)-[:COVERS]->(g:Region)
WITH g, count(*) AS programmes
WHERE programmes > 1
MATCH (p:Programme)-[r:COVERS]->(g)
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT g.id AS region, g.name AS region_name, programmes, p.id AS programme,
       r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote
ORDER BY programmes DESC, region, programme, letter
