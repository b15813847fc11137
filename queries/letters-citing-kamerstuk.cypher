// name: letters-citing-kamerstuk
// question: Which letters cite this Kamerstuk, and in which sentence?
// params: kamerstuk (e.g. document:29697-169)
MATCH (l:Letter)-[r:REFERS_TO]->(d:Document {id: $kamerstuk})
UNWIND range(0, size(r.evidence_quote) - 1) AS i
RETURN DISTINCT l.id AS letter, l.date AS letter_date, l.source AS source, r.evidence_quote[i] AS quote
ORDER BY letter_date, letter, quote
