// name: programme-overlaps
// question: Which programmes overlap, and where: stated in a letter (with the quote) or derived from shared regions?
// params: none
CALL () {
  MATCH (p:Programme)-[r:OVERLAPS {derived: true}]->(q:Programme)
  UNWIND r.shared_regions AS shared_region
  RETURN p.id AS programme, q.id AS other, true AS derived, shared_region, null AS letter, null AS quote
  UNION
  MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'OVERLAPS'})-[:SUBJECT]->(p:Programme),
        (s)-[:OBJECT]->(q:Programme)
  RETURN p.id AS programme, q.id AS other, false AS derived, null AS shared_region, l.id AS letter,
         s.quote AS quote
}
RETURN DISTINCT programme, other, derived, shared_region, letter, quote
ORDER BY derived, programme, other, shared_region, letter
