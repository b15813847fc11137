// name: programmes-covering-area
// question: Which programmes cover this region, directly or through the areas it contains or lies in (PART_OF, part to whole)?
// params: region (e.g. region:zuid-limburg), as_of (optional, e.g. 2024-12-31)
MATCH (g:Region {id: $region})
CALL (g) {
  MATCH (p:Programme)-[:COVERS]->(g)
  RETURN p, g AS via, 'direct' AS how
  UNION
  MATCH (g)-[:PART_OF*1..8]->(w:Region)<-[:COVERS]-(p:Programme)
  RETURN p, w AS via, 'lies-in' AS how
  UNION
  MATCH (g)<-[:PART_OF*1..8]-(a:Region)<-[:COVERS]-(p:Programme)
  RETURN p, a AS via, 'contains' AS how
}
OPTIONAL MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COVERS'})-[:SUBJECT]->(p), (s)-[:OBJECT]->(via)
// as of a day: a coverage with evidence only from later (or undated) letters drops out
WITH p, via, how, l, s
WHERE $as_of IS NULL OR s IS NULL OR s.date <= date($as_of)
RETURN DISTINCT p.id AS programme, p.name AS programme_name, how, via.id AS via, via.name AS via_name,
       l.id AS letter, s.quote AS quote
ORDER BY programme, how, via, letter, quote
