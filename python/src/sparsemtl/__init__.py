"""Sparse multi-task regression with certificates (a client of the `sparsemtl` binary)."""
from ._binary import BinaryNotFound, SparseMTLError, find_binary
from .estimator import SparseMTLRegressor
from .selection import SparseMTLCV
from .verify import VerifyResult, verify

__all__ = ["SparseMTLRegressor", "SparseMTLCV", "verify", "VerifyResult", "find_binary", "BinaryNotFound", "SparseMTLError"]
__version__ = "0.1.0"
