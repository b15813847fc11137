// name: commitments-per-minister
// question: Which commitments did each minister make, in which letter, in which words?
// params: none
MATCH (l:Letter)-[:SIGNED_BY]->(m:Person)
MATCH (s:Statement {type: 'MAKES'})-[:SUBJECT]->(l), (s)-[:OBJECT]->(c:Commitment)
RETURN DISTINCT m.id AS minister, m.name AS minister_name, l.id AS letter, l.date AS letter_date,
       c.id AS commitment, s.quote AS quote
ORDER BY minister, letter_date, commitment
