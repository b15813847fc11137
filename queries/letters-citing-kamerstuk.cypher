// name: letters-citing-kamerstuk
// question: Which letters cite this Kamerstuk, and in which sentence?
// params: kamerstuk (e.g. document:29697-169), as_of (optional, e.g. 2024-12-31)
MATCH (s:Statement {type: 'REFERS_TO'})-[:OBJECT]->(:Kamerstuk {id: $kamerstuk}),
      (s)-[:SUBJECT]->(l:Letter)
WHERE ($as_of IS NULL OR s.date <= date($as_of))
RETURN DISTINCT l.id AS letter, l.date AS letter_date, l.source AS source, s.quote AS quote
ORDER BY letter_date, letter, quote
