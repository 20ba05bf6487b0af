// The protocol layer: method table and schema validation. (being written)
