"""``python3 -m kiln compile ...`` runs the same driver as ``kiln``."""
import os
import sys

from kiln import compiler_path


def main():
    path = compiler_path()
    os.execv(path, [path] + sys.argv[1:])


if __name__ == "__main__":
    main()
