// name: programme-evolution
// question: How did this programme evolve: what preceded or followed it, and which dated letters mention it first and last?
// params: programme (e.g. programme:npvr), as_of (optional, e.g. 2024-12-31)
MATCH (p:Programme {id: $programme})
CALL (p) {
  MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'SUCCEEDED_BY'})-[:SUBJECT]->(p), (s)-[:OBJECT]->(o:Programme)
  WHERE $as_of IS NULL OR s.date <= date($as_of)
  RETURN 'succeeded_by' AS step, o.id AS other, null AS date, l.id AS letter, s.quote AS quote
  UNION
  MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'SUCCEEDED_BY'})-[:OBJECT]->(p), (s)-[:SUBJECT]->(o:Programme)
  WHERE $as_of IS NULL OR s.date <= date($as_of)
  RETURN 'succeeds' AS step, o.id AS other, null AS date, l.id AS letter, s.quote AS quote
  UNION
  MATCH (l:Letter)-[:MENTIONS]->(p) WHERE l.date IS NOT NULL AND ($as_of IS NULL OR l.date <= date($as_of))
  WITH p, min(l.date) AS first, max(l.date) AS last
  MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'MENTIONS'})-[:OBJECT]->(p) WHERE l.date IN [first, last]
  WITH l, s, first, last ORDER BY s.start
  WITH l, first, last, collect(s.quote)[0] AS quote
  UNWIND [x IN [['first_mention', first], ['last_mention', last]] WHERE x[1] = l.date | x[0]] AS step
  RETURN step, l.id AS other, l.date AS date, l.id AS letter, quote
}
RETURN DISTINCT step, other, date, letter, quote
ORDER BY step, date, other
