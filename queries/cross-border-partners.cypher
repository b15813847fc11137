// name: cross-border-partners
// question: Which neighbouring states (German Länder, Belgian regions) does each programme work with?
// params: as_of (optional, e.g. 2024-12-31)
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'PARTNERS_WITH'})-[:SUBJECT]->(p:Programme),
      (s)-[:OBJECT]->(n:NeighbouringState)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
RETURN DISTINCT p.id AS programme, p.name AS programme_name, n.id AS partner, n.name AS partner_name,
       l.id AS letter, s.quote AS quote
ORDER BY programme, partner, letter
