// The server wiring. (being written)
