#!/usr/bin/env python3
"""rusage_wrap.py OUT -- COMMAND...: runs COMMAND with this process's standard input and output,
waits for it, writes its resource usage (all its threads, from wait4) to OUT as JSON, and exits
with its status. syscalls.py puts it between rpcbench.py and a server to count the server's
context switches and CPU time without counting the driver's."""

import json
import os
import sys


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.stderr.write(__doc__)
        return 2
    out, argv = sys.argv[1], sys.argv[3:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as f:
        json.dump({"utime": usage.ru_utime, "stime": usage.ru_stime, "nvcsw": usage.ru_nvcsw,
                   "nivcsw": usage.ru_nivcsw}, f)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
