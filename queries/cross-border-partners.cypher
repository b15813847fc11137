// name: cross-border-partners
// question: Which neighbouring states (German Länder, Belgian regions) does each programme work with?
// params: none
MATCH (p:Programme)-[r:PARTNERS_WITH]->(s:NeighbouringState)
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT p.id AS programme, p.name AS programme_name, s.id AS partner, s.name AS partner_name,
       r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote
ORDER BY programme, partner, letter
