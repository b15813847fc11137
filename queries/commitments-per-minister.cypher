// name: commitments-per-minister
// question: Which commitments did each minister make, in which letter, in which words?
// params: none
MATCH (l:Letter)-[:SIGNED_BY]->(m:Person)
MATCH (l)-[r:MAKES]->(c:Commitment)
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT m.id AS minister, m.name AS minister_name, l.id AS letter, l.date AS letter_date,
       c.id AS commitment, r.evidence_quote[i] AS quote
ORDER BY minister, letter_date, commitment
