// name: cross-border-partners
// question: Which neighbouring states (German Länder, Belgian regions) does each programme work with?
// params: none
MATCH (l:Letter)-[:STATES]->(s:Statement {type: 'PARTNERS_WITH'})-[:SUBJECT]->(p:Programme),
      (s)-[:OBJECT]->(n:NeighbouringState)
RETURN DISTINCT p.id AS programme, p.name AS programme_name, n.id AS partner, n.name AS partner_name,
       l.id AS letter, s.quote AS quote
ORDER BY programme, partner, letter
