"""Imported by ``lm_eval_passk.pth`` in every Python process of the environment.

It only installs an import hook: the plugin's real registration
(:mod:`lm_eval_passk.registration`) runs when, and only if, lm-eval's own modules are
imported. Installing twice (a ``.pth`` can be processed twice) is a no-op.
"""

import sys

# lm-eval module -> function of lm_eval_passk.registration run right after it loads
_PATCHES = {
    "lm_eval.tasks.manager": "register_tasks",
    "lm_eval.api.group": "aggregate_common_metrics",
    "lm_eval._cli.harness": "report_config_errors",
    "lm_eval.models": "register_models",
}


class _AfterImport:  # a meta path finder (no importlib.abc: it costs ~10 ms to import)
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, _PATCHES[fullname])
                return spec
        return None


class _PatchingLoader:
    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        from lm_eval_passk import registration

        getattr(registration, self._patch)(module)


def install() -> None:
    if not any(type(f).__name__ == "_AfterImport" for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport())


install()
