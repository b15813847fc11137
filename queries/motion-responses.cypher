// name: motion-responses
// question: Which motions do letters respond to, who submitted them, and what does the letter say?
// params: none
MATCH (l:Letter)-[r:RESPONDS_TO]->(m:Motion)
OPTIONAL MATCH (s:Person)-[:SUBMITTED]->(m)
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT m.id AS motion, m.name AS motion_name, s.id AS submitter, l.id AS letter, l.date AS letter_date,
       r.evidence_quote[i] AS quote
ORDER BY motion, letter, quote
