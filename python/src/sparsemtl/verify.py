"""Re-checking a certificate with the binary's `verify`."""
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
    arguments = ["verify", certificate]
    if data is not None:
        arguments += ["--data", data]
    if time_limit is not None:
        arguments += ["--time-limit", time_limit]
    completed = _binary.run(arguments, accept=(0, 1))  # 1: the certificate is wrong
    return VerifyResult(passed=completed.returncode == 0, report=completed.stdout + completed.stderr)
