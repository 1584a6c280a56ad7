"""Build hook: the wheel carries a copy of the top-level ``rules/`` as ``pipeline/rules/``.

``rules/`` stays the one editable source; an editable install (``pip install -e .``) reads it in place,
so nothing is copied then. Everything else about the package is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RULES = Path(__file__).resolve().parent / "rules"


class BuildWithRules(build_py):
    """``build_py`` that also copies ``rules/*.yaml`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "pipeline" / "rules"
        self.mkpath(str(target))
        for path in sorted(RULES.glob("*.yaml")):
            self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildWithRules})
