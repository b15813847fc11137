// name: commitments-per-minister
// question: Which commitments did each minister make, in which letter, in which words?
// params: as_of (optional, e.g. 2024-12-31)
MATCH (l:Letter)-[:SIGNED_BY]->(m:Person)
MATCH (s:Statement {type: 'MAKES'})-[:SUBJECT]->(l), (s)-[:OBJECT]->(c:Commitment)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
RETURN DISTINCT m.id AS minister, m.name AS minister_name, l.id AS letter, l.date AS letter_date,
       c.id AS commitment, s.quote AS quote
ORDER BY minister, letter_date, commitment
