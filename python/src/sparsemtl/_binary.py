"""Finding and running the `sparsemtl` binary."""
import os
import shutil
import subprocess
from pathlib import Path


class BinaryNotFound(RuntimeError):
    """No `sparsemtl` binary could be found."""


class SparseMTLError(RuntimeError):
    """The binary stopped on an error; the message is its own one-line explanation."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


def _release_build_above(folder):
    for parent in [folder, *folder.parents]:
        candidate = parent / ".build" / "release" / "sparsemtl"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_binary():
    """The path of the `sparsemtl` binary: `SPARSEMTL_BIN`, else `sparsemtl` on the PATH, else a
    release build `.build/release/sparsemtl` in the current folder or a parent (or in a parent of
    this package's source, for an editable install in the repository)."""
    named = os.environ.get("SPARSEMTL_BIN")
    if named:
        if Path(named).is_file() and os.access(named, os.X_OK):
            return str(Path(named).resolve())
        raise BinaryNotFound(f"SPARSEMTL_BIN={named} is not an executable file")
    on_path = shutil.which("sparsemtl")
    if on_path:
        return on_path
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        found = _release_build_above(start)
        if found:
            return str(found)
    raise BinaryNotFound(
        "no sparsemtl binary: set SPARSEMTL_BIN to its path, put it on the PATH, or build it in the "
        "repository with `swift build -c release` (or `make build`) and run from there")


def run(arguments, accept=(0,)):
    """Runs the binary with `arguments`; returns the completed process when its exit code is in
    `accept`, else raises SparseMTLError with the binary's own message. Ctrl-C reaches the binary
    too (it writes what it has and exits 130); the KeyboardInterrupt is raised here after it has
    stopped."""
    completed = subprocess.run([find_binary(), *map(str, arguments)], capture_output=True, text=True)
    if completed.returncode == 130:
        raise KeyboardInterrupt
    if completed.returncode not in accept:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        message = lines[-1] if lines else f"sparsemtl exited {completed.returncode} without a message"
        raise SparseMTLError(message.removeprefix("sparsemtl: error: "), completed.returncode)
    return completed
