// name: region-profile
// question: Everything the graph knows about one region: every relationship in or out, with its evidence.
// params: region (e.g. region:twente), as_of (optional, e.g. 2024-12-31)
MATCH (g:Region {id: $region})-[r]-(o:Entity)
WITH g, r, o, startNode(r) AS a, endNode(r) AS b,
     CASE WHEN startNode(r) = g THEN 'out' ELSE 'in' END AS direction
OPTIONAL MATCH (a)<-[:SUBJECT]-(s:Statement)-[:OBJECT]->(b) WHERE s.type = type(r) AND NOT r.derived
// as of a day: a relationship with evidence only from later (or undated) letters drops out
WITH r, o, direction, s
WHERE $as_of IS NULL OR s IS NULL OR s.date <= date($as_of)
RETURN DISTINCT direction, type(r) AS type, o.id AS other, o.name AS other_name, r.derived AS derived,
       s.letter AS letter, s.quote AS quote
ORDER BY type, direction, other, letter, quote
