// name: programme-evolution
// question: How did this programme evolve: what preceded or followed it, and which dated letters mention it first and last?
// params: programme (e.g. programme:npvr)
MATCH (p:Programme {id: $programme})
CALL {
  WITH p
  MATCH (p)-[r:SUCCEEDED_BY]->(o:Programme)
  UNWIND range(0, size(r.evidence_quote) - 1) AS i
  RETURN 'succeeded_by' AS step, o.id AS other, null AS date, r.evidence_letter[i] AS letter,
         r.evidence_quote[i] AS quote
  UNION
  WITH p
  MATCH (o:Programme)-[r:SUCCEEDED_BY]->(p)
  UNWIND range(0, size(r.evidence_quote) - 1) AS i
  RETURN 'succeeds' AS step, o.id AS other, null AS date, r.evidence_letter[i] AS letter,
         r.evidence_quote[i] AS quote
  UNION
  WITH p
  MATCH (l:Letter)-[:MENTIONS]->(p) WHERE l.date IS NOT NULL
  WITH p, min(l.date) AS first, max(l.date) AS last
  MATCH (l:Letter)-[r:MENTIONS]->(p) WHERE l.date IN [first, last]
  UNWIND range(0, size(r.evidence_quote) - 1) AS i
  WITH l, r, i, first, last ORDER BY r.evidence_start[i]
  WITH l, first, last, collect(r.evidence_quote[i])[0] AS quote
  UNWIND [s IN [['first_mention', first], ['last_mention', last]] WHERE s[1] = l.date | s[0]] AS step
  RETURN step, l.id AS other, l.date AS date, l.id AS letter, quote
}
RETURN DISTINCT step, other, date, letter, quote
ORDER BY step, date, other
