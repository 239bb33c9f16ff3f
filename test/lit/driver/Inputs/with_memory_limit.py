"""Runs a command with its address space limited to argv[1] megabytes
(`ulimit -v`, which lit's shell lacks), prints `[exit N]` to stderr after
it, and exits with its exit code N."""
import resource
import subprocess
import sys

limit = int(sys.argv[1]) << 20
rc = subprocess.run(sys.argv[2:],
                    preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                    ).returncode
print(f"[exit {rc}]", file=sys.stderr)
sys.exit(rc)
