// name: programme-coordination
// question: Which ministry coordinates which programme, according to which letter?
// params: none
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'COORDINATES'})-[:SUBJECT]->(m:Ministry),
      (s)-[:OBJECT]->(p:Programme)
RETURN DISTINCT m.id AS ministry, m.name AS ministry_name, p.id AS programme, p.name AS programme_name,
       l.id AS letter, s.quote AS quote
ORDER BY ministry, programme, letter
