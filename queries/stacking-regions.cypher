// name: stacking-regions
// question: Which regions are covered by more than one programme (stacking), by which, and where is it said?
// params: none
MATCH (:Programme)-[:COVERS]->(g:Region)
WITH g, count(*) AS programmes
WHERE programmes > 1
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:OBJECT]->(g), (s)-[:SUBJECT]->(p:Programme)
RETURN DISTINCT g.id AS region, g.name AS region_name, programmes, p.id AS programme,
       l.id AS letter, s.quote AS quote
ORDER BY programmes DESC, region, programme, letter
