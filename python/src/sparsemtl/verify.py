"""Re-checking a certificate with the binary's `verify`."""
import subprocess
from dataclasses import dataclass

from . import _binary


@dataclass
class VerifyResult:
    """What `sparsemtl verify` concluded: `passed`, and its report (the lines it printed)."""
    passed: bool
    report: str

    def __bool__(self):
        return self.passed


def verify(certificate, data=None, time_limit=None):
    """Re-derives a certificate's upper and lower bounds from the data (`sparsemtl verify`):
    passes only when both check. `data` names a moved copy of the data file (its SHA-256 must
    match). Returns a VerifyResult; raises SparseMTLError when the certificate cannot be read."""
    arguments = [_binary.find_binary(), "verify", str(certificate)]
    if data is not None:
        arguments += ["--data", str(data)]
    if time_limit is not None:
        arguments += ["--time-limit", str(time_limit)]
    completed = subprocess.run(arguments, capture_output=True, text=True)
    if completed.returncode == 130:
        raise KeyboardInterrupt
    if completed.returncode not in (0, 1):
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        raise _binary.SparseMTLError((lines[-1] if lines else "verify failed").removeprefix("sparsemtl: error: "), completed.returncode)
    return VerifyResult(passed=completed.returncode == 0, report=completed.stdout + completed.stderr)
