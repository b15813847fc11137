// name: programme-overlaps
// question: Which programmes overlap, and where: stated in a letter (with the quote) or derived from shared regions?
// params: none
MATCH (p:Programme)-[r:OVERLAPS]->(q:Programme)
UNWIND CASE WHEN r.derived THEN r.shared_regions ELSE range(0, size(r.evidence_quote) - 1) END AS item
RETURN DISTINCT p.id AS programme, q.id AS other, r.derived AS derived,
       CASE WHEN r.derived THEN item END AS shared_region,
       CASE WHEN r.derived THEN null ELSE r.evidence_letter[item] END AS letter,
       CASE WHEN r.derived THEN null ELSE r.evidence_quote[item] END AS quote
ORDER BY derived, programme, other, shared_region, letter
