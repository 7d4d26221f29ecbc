"""Is the installed `carnet` package (pip install ./bindings/python) this checkout's binding?

The suites test the package as a host installs it. A copy installed from another checkout, or
before the last edit, would test something else: `make python-binding` reinstalls it when this
says so (exit status 1), and conftest.py refuses to run with a stale copy.
"""
import importlib.util
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(REPO, "bindings", "python", "carnet")


def stale_files():
    """Names of the package's files that differ from (or are missing in) the installed copy;
    ["(not installed)"] when there is none."""
    spec = importlib.util.find_spec("carnet")
    if spec is None or spec.origin is None:
        return ["(not installed)"]
    installed = os.path.dirname(os.path.abspath(spec.origin))
    if installed == SOURCE:
        return []
    stale = []
    for name in sorted(os.listdir(SOURCE)):
        if not name.endswith(".py"):
            continue
        copy = os.path.join(installed, name)
        with open(os.path.join(SOURCE, name), "rb") as f:
            wanted = f.read()
        if not os.path.exists(copy) or open(copy, "rb").read() != wanted:
            stale.append(name)
    return stale


if __name__ == "__main__":
    sys.exit(1 if stale_files() else 0)
