"""The documentation and the program say the same thing: every flag a command's --help lists is in
docs/commands.md, and every flag the README and docs name exists in some command's --help."""
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("SPARSEMTL_BIN", str(ROOT / ".build" / "debug" / "sparsemtl"))
COMMANDS = ["solve", "verify", "export", "relax", "compare", "graph", "diffuse", "path", "cv", "grid", "merge", "predict", "evaluate",
            "describe", "generate", "info"]
# glpsol's (reading our MPS files), sparsemtl-fuzz's, sbatch's and scripts/slurm/submit.sh's
OTHER_PROGRAMS = {"--freemps", "--cases", "--scales", "--tree-only", "--array", "--partition", "--time", "--mem", "--resubmit", "--wait"}


def help_flags(command):
    text = subprocess.run([BINARY, command, "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"^\s+(--[a-z0-9-]+)", text, flags=re.MULTILINE)) - {"--version", "--help"}


def test_every_flag_of_every_command_is_documented():
    reference = (ROOT / "docs" / "commands.md").read_text()
    missing = [(command, flag) for command in COMMANDS for flag in sorted(help_flags(command))
               if not re.search(re.escape(flag) + r"\b", reference)]
    assert missing == []


def test_every_flag_the_docs_name_exists():
    known = set().union(*(help_flags(command) for command in COMMANDS)) | {"--version", "--help"}
    for no in [f for f in known if f.startswith("--")]:
        known.add("--no-" + no[2:])
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    stale = [(path.name, flag) for path in texts for flag in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)", path.read_text())))
             if flag not in known and flag not in OTHER_PROGRAMS]
    assert stale == []
