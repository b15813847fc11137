// name: programme-overlaps
// question: Which programmes overlap, and where: stated in a letter (with the quote) or derived from shared regions?
// params: as_of (optional, e.g. 2024-12-31)
CALL () {
  MATCH (p:Programme)-[r:OVERLAPS {derived: true}]->(q:Programme)
  UNWIND r.shared_regions AS shared_region
  MATCH (g:Entity {id: shared_region})
  // as of a day: only the shared regions both programmes cover as of that day
  WITH p, q, g, shared_region
  WHERE $as_of IS NULL OR all(x IN [p, q] WHERE
    EXISTS { MATCH (x)-[c:COVERS]->(g) WHERE c.evidence_count = 0 } OR
    EXISTS { MATCH (s:Statement {type: 'COVERS'})-[:SUBJECT]->(x), (s)-[:OBJECT]->(g) WHERE s.date <= date($as_of) })
  RETURN p.id AS programme, q.id AS other, true AS derived, shared_region, null AS letter, null AS quote
  UNION
  MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'OVERLAPS'})-[:SUBJECT]->(p:Programme),
        (s)-[:OBJECT]->(q:Programme)
  WHERE $as_of IS NULL OR s.date <= date($as_of)
  RETURN p.id AS programme, q.id AS other, false AS derived, null AS shared_region, l.id AS letter,
         s.quote AS quote
}
RETURN DISTINCT programme, other, derived, shared_region, letter, quote
ORDER BY derived, programme, other, shared_region, letter
