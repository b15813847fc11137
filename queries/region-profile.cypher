// name: region-profile
// question: Everything the graph knows about one region: every relationship in or out, with its evidence.
// params: region (e.g. region:twente)
MATCH (g:Region {id: $region})-[r]-(o:Entity)
WITH g, r, o, CASE WHEN startNode(r) = g THEN 'out' ELSE 'in' END AS direction
UNWIND CASE WHEN size(coalesce(r.evidence_quote, [])) = 0 THEN [null]
            ELSE range(0, size(r.evidence_quote) - 1) END AS i
RETURN DISTINCT direction, type(r) AS type, o.id AS other, o.name AS other_name, r.derived AS derived,
       r.evidence_letter[i] AS letter, r.evidence_quote[i] AS quote
ORDER BY type, direction, other, letter, quote
