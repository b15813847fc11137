// name: programme-coordination
// question: Which ministry coordinates which programme, according to which letter?
// params: as_of (optional, e.g. 2024-12-31)
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COORDINATES'})-[:SUBJECT]->(m:Ministry),
      (s)-[:OBJECT]->(p:Programme)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
RETURN DISTINCT m.id AS ministry, m.name AS ministry_name, p.id AS programme, p.name AS programme_name,
       l.id AS letter, s.quote AS quote
ORDER BY ministry, programme, letter
