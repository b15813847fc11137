// name: stacking-regions
// question: Which regions are covered by more than one programme (stacking), by which, and where is it said?
// params: as_of (optional, e.g. 2024-12-31)
MATCH (p:Programme)-[r:COVERS]->(g:Region)
// as of a day: only the coverage stated in letters up to that day (or read from a data file)
WHERE $as_of IS NULL OR r.evidence_count = 0 OR EXISTS {
  MATCH (s:Statement {type: 'COVERS'})-[:SUBJECT]->(p), (s)-[:OBJECT]->(g) WHERE s.date <= date($as_of)
}
WITH g, count(*) AS programmes
WHERE programmes > 1
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:OBJECT]->(g), (s)-[:SUBJECT]->(p:Programme)
WHERE $as_of IS NULL OR s.date <= date($as_of)
RETURN DISTINCT g.id AS region, g.name AS region_name, programmes, p.id AS programme,
       l.id AS letter, s.quote AS quote
ORDER BY programmes DESC, region, programme, letter
