"""``radar-rpc`` (the console command) and ``python -m radar_rpc``: runs the server binary this
package finds (its bundled one first, see :func:`radar_rpc.find_binary`) with the same arguments,
standard input and output. On POSIX the Python process is replaced by the server (``exec``), so
signals and exit codes are the server's own.

A program that spawns the server often saves the interpreter's start-up by spawning the path
``radar_rpc.find_binary()`` returns instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import List, Optional

from ._process import find_binary
from .errors import BinaryNotFound


def main(argv: Optional[List[str]] = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    try:
        binary = find_binary()
    except BinaryNotFound as error:
        print("radar-rpc: %s" % error, file=sys.stderr)
        return 127
    if os.name == "posix":
        os.execv(binary, [binary, *arguments])
    return subprocess.call([binary, *arguments])


if __name__ == "__main__":
    sys.exit(main())
