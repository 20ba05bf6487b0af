// The transport: framing, JSON-RPC messages, the connection. (being written)
