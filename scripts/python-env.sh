#!/usr/bin/env bash
# Creates the project's Python virtual environment (default .venv) with the packages the
# independent checks use (Tests/python/requirements.txt) and the project's package (python/). It sees the system's site packages,
# so what the machine already has is not downloaded again.
set -euo pipefail
env_dir=${1:-.venv}
if [ ! -x "$env_dir/bin/python" ]; then
  python3 -m venv --system-site-packages "$env_dir"
fi
"$env_dir/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/python/requirements.txt
# The project's Python package, installed as a user would (pip install ./python).
"$env_dir/bin/python" -m pip install --quiet --disable-pip-version-check ./python
