// name: motion-responses
// question: Which motions do letters respond to, who submitted them, and what does the letter say?
// params: as_of (optional, e.g. 2024-12-31)
MATCH (s:Statement {type: 'RESPONDS_TO'})-[:SUBJECT]->(l:Letter), (s)-[:OBJECT]->(m:Motion)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
OPTIONAL MATCH (p:Person)-[:SUBMITTED]->(m)
// as of a day, a submitter only a later letter names is not known yet
WHERE $as_of IS NULL OR EXISTS {
  MATCH (t:Statement {type: 'SUBMITTED'})-[:SUBJECT]->(p), (t)-[:OBJECT]->(m) WHERE t.date <= date($as_of)
}
RETURN DISTINCT m.id AS motion, m.name AS motion_name, p.id AS submitter, l.id AS letter, l.date AS letter_date,
       s.quote AS quote
ORDER BY motion, letter, quote
