"""``python3 -m kiln compile ...`` runs the same driver as ``kiln``.

The driver is found as ``kiln.compiler_path()`` finds it: $KILN_BIN, the
``kiln`` installed with this package, ``kiln`` on PATH, then a source
checkout's ``build/bin/kiln``.
"""
import os
import sys

from kiln import compiler_path


def main():
    try:
        path = compiler_path()
    except FileNotFoundError as e:
        sys.stderr.write("python3 -m kiln: error: %s\n" % e)
        return 2
    # Keep argv[0] the real path: the driver finds its runtime library
    # relative to its own executable.
    os.execv(path, [path] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
