"""What the benchmark scripts share on their command line."""
import sys
from pathlib import Path


def binary_argument(doc):
    """The sparsemtl binary named first on the command line. On -h, --help, or a missing or wrong
    path: the script's usage (`doc`, its module docstring) on stderr, and exit code 2."""
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help") or not Path(sys.argv[1]).is_file():
        if len(sys.argv) >= 2 and sys.argv[1] not in ("-h", "--help"):
            print(f"error: {sys.argv[1]} is not a file (the sparsemtl binary comes first)", file=sys.stderr)
        print(doc, file=sys.stderr)
        sys.exit(2)
    return sys.argv[1]
