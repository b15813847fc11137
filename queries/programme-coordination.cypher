// name: programme-coordination
// question: Which ministry coordinates which programme, according to which letter?
// params: none
MATCH (m:Ministry)-[r:COORDINATES]->(p:Programme)
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT m.id AS ministry, m.name AS ministry_name, p.id AS programme, p.name AS programme_name,
       r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote
ORDER BY ministry, programme, letter
