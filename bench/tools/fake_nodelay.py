#!/usr/bin/env python3
"""Runs Tests/Support/fake_cloudflare.py with TCP_NODELAY on its accepted sockets.

The fake (Python's http.server) sends a response's headers and body in two writes. With Nagle
on the server side and a delayed ACK on the client side, every keep-alive call then stalls
~40 ms waiting for an ACK — an artifact of the fake, not of radar-rpc or of Cloudflare.
`StreamRequestHandler.disable_nagle_algorithm` is the standard library's switch for exactly
this; the benchmark sets it without changing the fake. Same command-line options as the fake.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Support"))
import fake_cloudflare  # noqa: E402

fake_cloudflare.Handler.disable_nagle_algorithm = True
fake_cloudflare.main()
